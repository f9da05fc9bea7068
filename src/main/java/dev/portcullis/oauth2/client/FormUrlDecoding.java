package dev.portcullis.oauth2.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * Strict {@code application/x-www-form-urlencoded} decoding of one value, for the client id and secret of HTTP
 * Basic: unlike {@link java.net.URLDecoder} it tells a value no form encoder could have written (a {@code %} that
 * starts no escape, escapes that are not UTF-8) from one it could, so that such a value is taken as sent.
 *
 * @see <a href="https://url.spec.whatwg.org/#application/x-www-form-urlencoded">application/x-www-form-urlencoded</a>
 */
final class FormUrlDecoding {

	private FormUrlDecoding() {
	}

	/**
	 * {@code value} decoded ({@code +} is a space, {@code %XX} a byte of UTF-8), or {@code null} when a form encoder
	 * cannot have written it.
	 */
	static @Nullable String decode(String value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
		int i = 0;
		while (i < value.length()) {
			if (value.charAt(i) == '%') {
				if (i + 2 >= value.length() || !HexFormat.isHexDigit(value.charAt(i + 1))
						|| !HexFormat.isHexDigit(value.charAt(i + 2))) {
					return null;
				}
				bytes.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
				i += 3;
			}
			else {
				int end = value.indexOf('%', i);
				end = (end < 0) ? value.length() : end;
				bytes.writeBytes(value.substring(i, end).replace('+', ' ').getBytes(StandardCharsets.UTF_8));
				i = end;
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/** Whether {@code value} holds {@code %XX} escapes and decodes: a form encoder wrote it, not a raw secret. */
	static boolean isEscaped(String value) {
		return value.indexOf('%') >= 0 && decode(value) != null;
	}

}
