package dev.portcullis.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UsernamePolicy} and the mapping it keeps names in ({@link User#normalize}): RFC 8265 §3.3.
 */
class UsernamePolicyTests {

	@Test
	void normalizeWhenFullwidthCaseOrDecomposedThenOneName() {
		assertThat(User.normalize("\uff41\uff4c\uff49\uff43\uff45")).isEqualTo("alice");
		assertThat(User.normalize("\uff21LICE")).isEqualTo("alice");
		assertThat(User.normalize("Jose\u0301")).isEqualTo(User.normalize("jos\u00e9")).isEqualTo("jos\u00e9");
		// halfwidth katakana with its voiced mark compose to the full form
		assertThat(User.normalize("\uff76\uff9e")).isEqualTo("\u30ac");
	}

	/** RFC 8264 §5.2.3 names Unicode toLowerCase(), not case folding: straße and strasse are two names. */
	@Test
	void normalizeWhenSharpSThenLowercasedNotFolded() {
		assertThat(User.normalize("STRA\u00dfE")).isEqualTo("stra\u00dfe").isNotEqualTo(User.normalize("strasse"));
	}

	@Test
	void usernameWhenValidThenKeptInItsCaseAfterWidthMappingAndNfc() {
		Map<String, String> problems = new LinkedHashMap<>();

		assertThat(UsernamePolicy.username(" Alice ", problems)).isEqualTo("Alice");
		assertThat(UsernamePolicy.username("\uff2a\uff4f\uff53\uff45\u0301", problems)).isEqualTo("Jos\u00e9");
		assertThat(UsernamePolicy.username("jane.doe+crm@example.com", problems)).isEqualTo("jane.doe+crm@example.com");
		assertThat(UsernamePolicy.username("\u0437\u043e\u044f", problems)).isEqualTo("\u0437\u043e\u044f");
		assertThat(problems).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "alice\u200b", "al\u200dice", "\u202eroot", "root\u2066", "mary\u00a0ann", "mary ann",
			"a\u3000b", "bob\u0007", "bob\u00ad", "\ud835\udc1a\ud835\udc25\ud835\udc22\ud835\udc1c\ud835\udc1e",
			"user\u2460", "\ue000admin", "admin\ufe0f", "ad\u034fmin", "\u115fadmin", "admin\udb40\udd00", "bob\u180b",
			"bob\u3164" })
	void usernameWhenIdentifierClassDisallowsACharacterThenRefusedNamingIt(String username) {
		Map<String, String> problems = new LinkedHashMap<>();

		UsernamePolicy.username(username, problems);

		assertThat(problems).containsOnlyKeys("username");
		assertThat(problems.get("username")).startsWith("must not contain").contains("(U+");
	}

	@Test
	void usernameWhenBlankOrTooLongThenRefused() {
		Map<String, String> blank = new LinkedHashMap<>();
		Map<String, String> tooLong = new LinkedHashMap<>();

		UsernamePolicy.username("  ", blank);
		UsernamePolicy.username("a".repeat(UsernamePolicy.MAX_LENGTH + 1), tooLong);

		assertThat(blank).containsEntry("username", "must not be blank");
		assertThat(tooLong).containsOnlyKeys("username");
	}

}
