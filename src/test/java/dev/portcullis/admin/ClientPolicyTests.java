package dev.portcullis.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.portcullis.fixtures.TestRegisteredClients;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.token.SigningAlgorithm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClientPolicy}: the rules each adapter applies.
 */
class ClientPolicyTests {

	private final ClientPolicy policy = new ClientPolicy(false);

	@ParameterizedTest
	@ValueSource(strings = { "https://app.example/callback", "https://app.example:8443/cb?x=1", "http://127.0.0.1:8400/cb",
			"http://127.9.9.9/cb", "http://localhost:3000/cb", "http://[::1]:8080/cb", "com.example.app:/oauth2redirect",
			"com.example.app://callback" })
	void redirectUrisWhenHttpsLoopbackOrPrivateUseSchemeThenAccepted(String uri) {
		assertThat(problems((problems) -> this.policy.redirectUris(List.of(uri), problems))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "javascript://x.example/%0aalert(4)", "JavaScript://x.example/%0aalert(4)",
			"data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "vbscript:msgbox(1)",
			"http://app.example/cb", "http://10.0.0.5/cb", "myapp:/cb", "https://app.example/cb#fragment", "/relative",
			"https:///no-host", "not a uri", "http://127.attacker.example/cb", "http://127.0.0.1.attacker.example/cb",
			"http://localhost.attacker.example/cb" })
	void redirectUrisWhenUnsafeOrMalformedThenRefusedNamingTheUri(String uri) {
		assertThat(problems((problems) -> this.policy.redirectUris(List.of(uri), problems)))
			.containsOnlyKeys("redirectUris")
			.hasValueSatisfying(new org.assertj.core.api.Condition<>((why) -> why.contains(uri), "names the URI"));
	}

	@Test
	void redirectUrisWhenHttpAllowedBySettingThenAnyHostButNeverAScriptScheme() {
		ClientPolicy lenient = new ClientPolicy(true);

		assertThat(problems((problems) -> lenient.redirectUris(List.of("http://app.internal/cb"), problems))).isEmpty();
		assertThat(problems((problems) -> lenient.redirectUris(List.of("javascript://x/%0aalert(1)"), problems)))
			.containsOnlyKeys("redirectUris");
	}

	@Test
	void capsWhenExceededThenRefused() {
		assertThat(problems((problems) -> this.policy.redirectUris(
				Collections.nCopies(ClientPolicy.MAX_REDIRECT_URIS + 1, "https://app.example/cb"), problems)))
			.containsOnlyKeys("redirectUris");
		assertThat(problems((problems) -> this.policy
			.scopes(java.util.stream.IntStream.rangeClosed(0, ClientPolicy.MAX_SCOPES).mapToObj((i) -> "s" + i).toList(),
					problems)))
			.containsOnlyKeys("scopes");
		assertThat(problems((problems) -> this.policy.scopes(List.of("s".repeat(ClientPolicy.MAX_SCOPE_LENGTH + 1)),
				problems)))
			.containsOnlyKeys("scopes");
		assertThat(problems((problems) -> this.policy.scopes(List.of("s".repeat(ClientPolicy.MAX_SCOPE_LENGTH)),
				problems)))
			.isEmpty();
	}

	@Test
	void secretWhenFrom8To512ThenAcceptedAndUnder16Weak() {
		assertThat(problems((problems) -> this.policy.secret("1234567", problems))).containsOnlyKeys("secret");
		assertThat(problems((problems) -> this.policy.secret("12345678", problems))).isEmpty();
		assertThat(problems((problems) -> this.policy.secret("x".repeat(512), problems))).isEmpty();
		assertThat(problems((problems) -> this.policy.secret("x".repeat(513), problems))).containsOnlyKeys("secret");
		assertThat(this.policy.isWeak("demo-secret")).isTrue();
		assertThat(this.policy.isWeak("sixteen-chars-ok")).isFalse();
		assertThat(this.policy.isWeak(null)).isFalse();
	}

	/** Issue 13: bootstrap failed at start on refresh_token, as Spring Authorization Server and Keycloak write it. */
	@Test
	void grantTypesWhenRefreshTokenBesideAGrantThenKept() {
		Map<String, String> problems = new LinkedHashMap<>();

		assertThat(this.policy.grantTypes(List.of("password", "refresh_token"), problems))
			.containsExactlyInAnyOrder(GrantType.PASSWORD, GrantType.REFRESH_TOKEN);
		assertThat(this.policy.grantTypes(List.of("authorization_code", "refresh_token"), problems))
			.containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
		assertThat(problems).isEmpty();
	}

	@Test
	void grantTypesWhenRefreshTokenAloneThenRefused() {
		assertThat(problems((problems) -> this.policy.grantTypes(List.of("refresh_token"), problems)))
			.containsOnlyKeys("grantTypes");
	}

	/** client_credentials issues no refresh token (SuiteCRM, RFC 6749 §4.4.3): listing it beside is kept and inert. */
	@Test
	void grantTypesWhenRefreshTokenBesideClientCredentialsOnlyThenAcceptedAndIssuesNone() {
		Map<String, String> problems = new LinkedHashMap<>();
		Set<GrantType> grantTypes = this.policy.grantTypes(List.of("client_credentials", "refresh_token"), problems);
		boolean refreshTokens = this.policy.refreshTokens(grantTypes, null, true, problems);

		assertThat(problems).isEmpty();
		assertThat(TestRegisteredClients.registeredClient().grantTypes(grantTypes.toArray(GrantType[]::new))
			.refreshTokens(refreshTokens).build().issuesRefreshTokens()).isFalse();
	}

	@Test
	void refreshTokensWhenNotSaidThenTheCurrentSettingAndOnForANewClient() {
		Set<GrantType> password = Set.of(GrantType.PASSWORD);

		assertThat(this.policy.refreshTokens(password, null, true, new LinkedHashMap<>())).isTrue();
		assertThat(this.policy.refreshTokens(password, null, false, new LinkedHashMap<>())).isFalse();
		assertThat(this.policy.refreshTokens(password, false, true, new LinkedHashMap<>())).isFalse();
	}

	@Test
	void refreshTokensWhenOffWhileRefreshTokenListedThenRefusedNotOneOfThemDropped() {
		Set<GrantType> listed = Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN);

		assertThat(problems((problems) -> this.policy.refreshTokens(listed, false, true, problems)))
			.containsOnlyKeys("refreshTokens");
		assertThat(problems((problems) -> this.policy.refreshTokens(listed, null, false, problems)))
			.containsOnlyKeys("refreshTokens");
	}

	@Test
	void introspectionWhenNotSaidThenTheCurrentSettingAndOffForANewClient() {
		assertThat(this.policy.introspection(true, null, false, new LinkedHashMap<>())).isFalse();
		assertThat(this.policy.introspection(true, null, true, new LinkedHashMap<>())).isTrue();
		assertThat(this.policy.introspection(true, true, false, new LinkedHashMap<>())).isTrue();
	}

	/** A public client cannot authenticate, so it cannot be a caller the introspection endpoint may answer. */
	@Test
	void introspectionWhenPublicClientThenRefusedAlsoWhenMadePublicWithTheSettingOn() {
		assertThat(problems((problems) -> this.policy.introspection(false, true, false, problems)))
			.containsOnlyKeys("introspection");
		assertThat(problems((problems) -> this.policy.introspection(false, null, true, problems)))
			.containsOnlyKeys("introspection");
		assertThat(problems((problems) -> this.policy.introspection(false, false, true, problems))).isEmpty();
	}

	/** Issue 15: a client may name one of the configured backend credentials, "" going back to the route's default. */
	@Test
	void backendCredentialWhenConfiguredOrEmptyThenStoredAndWhenUnknownThenRefusedNamingTheConfiguredOnes() {
		ClientPolicy withCredentials = new ClientPolicy(false, Set.of("sales", "crm"));
		Map<String, String> problems = new LinkedHashMap<>();

		assertThat(withCredentials.backendCredential("sales", null, problems)).isEqualTo("sales");
		assertThat(withCredentials.backendCredential(" ", "sales", problems)).isNull();
		assertThat(withCredentials.backendCredential(null, "sales", problems)).as("kept").isEqualTo("sales");
		assertThat(problems).isEmpty();
		assertThat(problems((refused) -> withCredentials.backendCredential("salse", null, refused)))
			.containsEntry("backendCredential", "'salse' is not one of the backend credentials [crm, sales] "
					+ "(portcullis.upstream.credentials); leave it empty for the route's default");
		assertThat(problems((refused) -> this.policy.backendCredential("crm", null, refused)))
			.containsKey("backendCredential");
	}

	/** Issue 16: RS256 unless said otherwise, EdDSA when asked, and nothing else. */
	@Test
	void signingAlgorithmWhenNotSaidThenTheCurrentOneAndOnlyRs256OrEdDsa() {
		assertThat(this.policy.signingAlgorithm(null, SigningAlgorithm.RS256, new LinkedHashMap<>()))
			.isEqualTo(SigningAlgorithm.RS256);
		assertThat(this.policy.signingAlgorithm(null, SigningAlgorithm.EdDSA, new LinkedHashMap<>()))
			.isEqualTo(SigningAlgorithm.EdDSA);
		assertThat(this.policy.signingAlgorithm("eddsa", SigningAlgorithm.RS256, new LinkedHashMap<>()))
			.isEqualTo(SigningAlgorithm.EdDSA);
		for (String refused : List.of("none", "HS256", "ES256", "")) {
			assertThat(problems((problems) -> this.policy.signingAlgorithm(refused, SigningAlgorithm.RS256, problems)))
				.containsOnlyKeys("signingAlgorithm");
		}
	}

	private static Map<String, String> problems(java.util.function.Consumer<Map<String, String>> check) {
		Map<String, String> problems = new LinkedHashMap<>();
		check.accept(problems);
		return problems;
	}

}
