package dev.portcullis.proxy;

/**
 * The one spelling a JWS in compact serialization has (RFC 7515 §7.1, with §2's base64url: unpadded, no characters
 * outside the URL-safe alphabet, and zero in the unused low bits of the last character). Nimbus's decoder is lenient
 * and reads many spellings as the same bytes ({@code ~} anywhere, {@code +} and {@code /} for {@code -} and
 * {@code _}, padding, any of the 16 last characters that differ only in unused bits), so without this check one
 * valid token had endless spellings, each costing a full signature check and a place in the verified-token cache.
 * With it, a token's text is a function of its bytes, and the text is a key an attacker cannot vary.
 */
final class CompactJws {

	private CompactJws() {
	}

	/** Whether {@code token} is three non-empty canonical base64url parts separated by dots. */
	static boolean isCanonical(String token) {
		int first = token.indexOf('.');
		int second = (first < 0) ? -1 : token.indexOf('.', first + 1);
		if (second < 0 || token.indexOf('.', second + 1) >= 0) {
			return false;
		}
		return isCanonicalPart(token, 0, first) && isCanonicalPart(token, first + 1, second)
				&& isCanonicalPart(token, second + 1, token.length());
	}

	private static boolean isCanonicalPart(String token, int start, int end) {
		int length = end - start;
		if (length == 0 || length % 4 == 1) {
			return false;
		}
		int last = 0;
		for (int i = start; i < end; i++) {
			last = sextet(token.charAt(i));
			if (last < 0) {
				return false;
			}
		}
		// 2 characters carry one byte and 4 unused bits, 3 characters two bytes and 2 unused bits
		int unusedBits = switch (length % 4) {
			case 2 -> 0x0F;
			case 3 -> 0x03;
			default -> 0;
		};
		return (last & unusedBits) == 0;
	}

	private static int sextet(char c) {
		if (c >= 'A' && c <= 'Z') {
			return c - 'A';
		}
		if (c >= 'a' && c <= 'z') {
			return c - 'a' + 26;
		}
		if (c >= '0' && c <= '9') {
			return c - '0' + 52;
		}
		if (c == '-') {
			return 62;
		}
		return (c == '_') ? 63 : -1;
	}

}
