package dev.portcullis.oauth2.user;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * A Portcullis user, the resource owner of the password and authorization code grants.
 *
 * @param id the stable id, the {@code sub} of the user's tokens
 * @param username the login name, unique when compared in its {@link #normalize normalized} form
 * @param passwordHash the password's slow hash
 * @param active inactive users get no tokens
 * @param admin whether the user may administer the gateway
 */
public record User(String id, String username, String passwordHash, boolean active, boolean admin) {

	public User {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(username, "username");
		Objects.requireNonNull(passwordHash, "passwordHash");
	}

	/**
	 * The form under which usernames are compared and indexed: RFC 8265's UsernameCaseMapped mapping rules, in its
	 * order: fullwidth and halfwidth characters to their plain forms, then lowercase, then Unicode NFC. So {@code ａｌｉｃｅ},
	 * {@code ALICE} and {@code alice} are one name, and so are {@code José} precomposed and with a combining accent.
	 * (Java's {@code toLowerCase(Locale.ROOT)} is Unicode's full toLowerCase(), the operation RFC 8264 §5.2.3
	 * names, not case folding: {@code straße} and {@code strasse} stay two names, as the profile says.) Which
	 * characters a name may hold at all is the administration's rule, not this one's.
	 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8265#section-3.3">RFC 8265 §3.3</a>
	 */
	public static String normalize(String username) {
		return Normalizer.normalize(widthMapped(username).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
	}

	/**
	 * RFC 8265 §3.4 UsernameCasePreserved's mapping: {@link #normalize} without the lowercasing, the form in which a
	 * username is kept and shown.
	 */
	public static String casePreserved(String username) {
		return Normalizer.normalize(widthMapped(username), Normalizer.Form.NFC);
	}

	/**
	 * RFC 8265 §3.3.2 rule 1: "Map fullwidth and halfwidth code points to their decomposition mappings". Those are
	 * the {@code <wide>} and {@code <narrow>} decompositions of the Halfwidth and Fullwidth Forms block and of the
	 * ideographic space, which NFKC of the single code point gives; NFKC of the whole name would fold far more.
	 */
	private static String widthMapped(String username) {
		StringBuilder mapped = new StringBuilder(username.length());
		username.codePoints().forEach((codePoint) -> {
			if (codePoint == 0x3000 || (codePoint >= 0xFF01 && codePoint <= 0xFFEE)) {
				mapped.append(Normalizer.normalize(Character.toString(codePoint), Normalizer.Form.NFKC));
			}
			else {
				mapped.appendCodePoint(codePoint);
			}
		});
		return mapped.toString();
	}

}
