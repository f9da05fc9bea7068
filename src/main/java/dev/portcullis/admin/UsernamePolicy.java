package dev.portcullis.admin;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;

/**
 * What makes a username valid, in one place for bootstrap, the JSON API and the pages: RFC 8265's
 * UsernameCaseMapped profile. Names are kept as typed after the profile's width mapping and NFC
 * ({@link User#casePreserved}) and compared lowercased ({@link User#normalize}), so a look-alike of an existing name
 * either maps onto it (the store then answers "taken") or holds a character the profile's IdentifierClass disallows
 * and is refused here. Sign-in needs nothing of this class: the store looks names up by {@link User#normalize}, so
 * any spelling that maps to a user's name finds them.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8265#section-3.3">RFC 8265 §3.3</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8264#section-9">RFC 8264 §9 (IdentifierClass categories)</a>
 */
public final class UsernamePolicy {

	public static final int MAX_LENGTH = 100;

	private UsernamePolicy() {
	}

	/** The username to store, or what is wrong with it under {@code username} in {@code problems}. */
	public static String username(@Nullable String typed, Map<String, String> problems) {
		if (typed == null || typed.isBlank()) {
			problems.put("username", "must not be blank");
			return "";
		}
		String username = User.casePreserved(typed.strip());
		if (username.length() > MAX_LENGTH) {
			problems.put("username", "must be at most " + MAX_LENGTH + " characters");
			return username;
		}
		username.codePoints()
			.mapToObj(UsernamePolicy::disallowed)
			.filter((why) -> why != null)
			.findFirst()
			.ifPresent((why) -> problems.put("username", "must not contain " + why));
		return username;
	}

	/**
	 * Why RFC 8264's IdentifierClass refuses the code point, or {@code null}: the categories that make look-alikes
	 * (invisible characters, bidi overrides, spaces, compatibility forms such as 𝐚 or ①) and the unassigned ones.
	 * Symbols and punctuation outside ASCII, which the class also disallows, are allowed here.
	 */
	private static @Nullable String disallowed(int codePoint) {
		String which = String.format(Locale.ROOT, " (U+%04X)", codePoint);
		return switch (Character.getType(codePoint)) {
			case Character.CONTROL -> "control characters" + which;
			// Cf: zero-width spaces and joiners, the bidi embeddings, overrides and isolates, soft hyphens
			case Character.FORMAT -> "invisible or bidirectional control characters" + which;
			case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
				"spaces" + which;
			case Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE ->
				"unassigned or private-use characters" + which;
			default -> hasCompatibilityForm(codePoint)
					? "compatibility characters such as 𝐚 or ①: type the plain character" + which : null;
		};
	}

	/** RFC 8264 §9.17 HasCompat: the code point differs from its NFKC form (after the width mapping above). */
	private static boolean hasCompatibilityForm(int codePoint) {
		String alone = Character.toString(codePoint);
		return !Normalizer.normalize(alone, Normalizer.Form.NFKC).equals(Normalizer.normalize(alone, Normalizer.Form.NFC));
	}

}
