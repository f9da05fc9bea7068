package dev.portcullis.oauth2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Proof Key for Code Exchange: the checks league/oauth2-server makes of {@code code_challenge} and
 * {@code code_verifier}.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7636">RFC 7636</a>
 */
public final class Pkce {

	public static final String S256 = "S256";

	public static final String PLAIN = "plain";

	/** RFC 7636 §4.1 and §4.2: 43 to 128 unreserved characters. */
	private static final Pattern FORMAT = Pattern.compile("^[A-Za-z0-9\\-._~]{43,128}$");

	private Pkce() {
	}

	/** Whether a challenge or verifier has the form RFC 7636 requires. */
	public static boolean isWellFormed(String value) {
		return FORMAT.matcher(value).matches();
	}

	public static boolean isSupportedMethod(String method) {
		return S256.equals(method) || PLAIN.equals(method);
	}

	/** Whether the verifier answers the challenge, compared in constant time. */
	public static boolean verifies(String verifier, String challenge, String method) {
		String expected = S256.equals(method) ? Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII))) : verifier;
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				challenge.getBytes(StandardCharsets.US_ASCII));
	}

	private static byte[] sha256(byte[] bytes) {
		return dev.portcullis.support.TokenHashing.sha256(bytes);
	}

}
