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
		if (isDefaultIgnorable(codePoint)) {
			return "invisible characters" + which;
		}
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

	/**
	 * RFC 8264 §9.13 Default_Ignorable_Code_Point (and §9.9's Old Hangul Jamo fillers), beyond the Cf ones above:
	 * drawn as nothing, so {@code admin} followed by a variation selector would look like {@code admin}.
	 */
	private static boolean isDefaultIgnorable(int codePoint) {
		return codePoint == 0x034F || codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x17B4
				|| codePoint == 0x17B5 || (codePoint >= 0x180B && codePoint <= 0x180F) || codePoint == 0x3164
				|| (codePoint >= 0xFE00 && codePoint <= 0xFE0F) || codePoint == 0xFFA0
				|| (codePoint >= 0xFFF0 && codePoint <= 0xFFF8) || (codePoint >= 0x1BCA0 && codePoint <= 0x1BCA3)
				|| (codePoint >= 0x1D173 && codePoint <= 0x1D17A) || (codePoint >= 0xE0000 && codePoint <= 0xE0FFF);
	}

	/** RFC 8264 §9.17 HasCompat: the code point differs from its NFKC form (after the width mapping above). */
	private static boolean hasCompatibilityForm(int codePoint) {
		String alone = Character.toString(codePoint);
		return !Normalizer.normalize(alone, Normalizer.Form.NFKC).equals(Normalizer.normalize(alone, Normalizer.Form.NFC));
	}

}
