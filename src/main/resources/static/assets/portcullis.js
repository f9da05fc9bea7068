/*
 * The admin pages' small enhancements; every page works without them. Loaded from /assets (the pages'
 * Content-Security-Policy allows scripts from 'self' only: nothing inline).
 * - [data-copy]: a "Copy" button beside the value, which says "Copied" once the value is on the clipboard;
 * - time[datetime]: "in 5 minutes" / "3 hours ago" beside the absolute time;
 * - the first field marked aria-invalid gets the focus, so the first problem is what a screen reader reads.
 */
(function () {
	'use strict';

	function copied(button) {
		button.textContent = 'Copied';
		setTimeout(function () { button.textContent = 'Copy'; }, 2000);
	}

	// the clipboard API needs a secure context (https or loopback); elsewhere, the selection and execCommand
	function copy(text, button) {
		if (navigator.clipboard && window.isSecureContext) {
			navigator.clipboard.writeText(text).then(function () { copied(button); },
				function () { copyBySelection(text, button); });
		}
		else {
			copyBySelection(text, button);
		}
	}

	function copyBySelection(text, button) {
		var area = document.createElement('textarea');
		area.value = text;
		area.setAttribute('readonly', '');
		area.className = 'visually-hidden';
		document.body.appendChild(area);
		area.select();
		var done = document.execCommand('copy');
		document.body.removeChild(area);
		if (done) {
			copied(button);
		}
	}

	document.querySelectorAll('[data-copy]').forEach(function (element) {
		var button = document.createElement('button');
		button.type = 'button';
		button.className = 'copy quiet small';
		button.textContent = 'Copy';
		button.setAttribute('aria-label', 'Copy ' + (element.getAttribute('data-copy') || 'this value'));
		button.addEventListener('click', function () { copy(element.textContent.trim(), button); });
		element.insertAdjacentElement('afterend', button);
	});

	var units = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
	var relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
	document.querySelectorAll('time[datetime]').forEach(function (time) {
		var seconds = (Date.parse(time.getAttribute('datetime')) - Date.now()) / 1000;
		if (isNaN(seconds)) {
			return;
		}
		for (var i = 0; i < units.length; i++) {
			if (Math.abs(seconds) >= units[i][1] || i === units.length - 1) {
				var span = document.createElement('span');
				span.className = 'relative muted';
				span.textContent = relative.format(Math.round(seconds / units[i][1]), units[i][0]);
				time.insertAdjacentElement('afterend', span);
				return;
			}
		}
	});

	var invalid = document.querySelector('[aria-invalid="true"]');
	if (invalid) {
		invalid.focus();
	}
})();
