package dev.portcullis.proxy;

import org.jspecify.annotations.Nullable;

import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * The header names and values Spring Security's {@link StrictServerWebExchangeFirewall} allows, checked with a
 * loop: its defaults are regular expressions ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, and for values also a
 * tab), matched again on every read of a header, which cost a few percent of a proxied request. Same answers,
 * character for character ({@code HeaderCharactersTests}).
 */
public final class HeaderCharacters {

	private HeaderCharacters() {
	}

	/** Assigned code points, no control characters. */
	public static boolean isAllowedName(@Nullable String name) {
		return name == null || allAllowed(name, false);
	}

	/** Assigned code points, no control characters but the tab. */
	public static boolean isAllowedValue(@Nullable String value) {
		return value == null || allAllowed(value, true);
	}

	private static boolean allAllowed(String text, boolean tab) {
		for (int i = 0; i < text.length();) {
			int c = text.codePointAt(i);
			if (c >= 0x20 && c < 0x7F) {
				i++;
				continue;
			}
			boolean allowed = (tab && c == '\t') || (Character.isDefined(c) && !Character.isISOControl(c));
			if (!allowed) {
				return false;
			}
			i += Character.charCount(c);
		}
		return true;
	}

}
