package dev.portcullis.support;

import org.jspecify.annotations.Nullable;

/**
 * Makes a value that a caller controls safe to put in a log line: control characters (a line feed would start a
 * forged log line) and the Unicode line and paragraph separators become {@code ?}, and the text is cut at 100
 * characters, so one log line stays one line and short whatever was sent.
 */
public final class LogSafe {

	private static final int MAX_LENGTH = 100;

	private LogSafe() {
	}

	public static String clean(@Nullable Object value) {
		if (value == null) {
			return "-";
		}
		String text = value.toString();
		StringBuilder cleaned = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 1));
		int count = 0;
		for (int i = 0; i < text.length() && count < MAX_LENGTH; count++) {
			int c = text.codePointAt(i);
			cleaned.appendCodePoint(isUnsafe(c) ? '?' : c);
			i += Character.charCount(c);
		}
		if (cleaned.length() < text.length() && count == MAX_LENGTH) {
			cleaned.append('…');
		}
		return cleaned.toString();
	}

	private static boolean isUnsafe(int c) {
		return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT;
	}

}
