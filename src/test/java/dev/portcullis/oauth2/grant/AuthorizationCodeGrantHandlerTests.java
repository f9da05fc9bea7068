package dev.portcullis.oauth2.grant;

import java.time.Duration;
import java.util.Set;

import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.MutableClock;
import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.Pkce;
import dev.portcullis.oauth2.TokenRequest.AuthorizationCodeRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.store.inmemory.InMemoryAuthorizationCodeStore;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static dev.portcullis.fixtures.UnitTestFixtures.ISSUER;
import static dev.portcullis.fixtures.UnitTestFixtures.assertAccessToken;
import static dev.portcullis.fixtures.UnitTestFixtures.assertOAuth2Error;
import static dev.portcullis.fixtures.UnitTestFixtures.client;
import static dev.portcullis.fixtures.UnitTestFixtures.signingKey;
import static dev.portcullis.fixtures.UnitTestFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AuthorizationCodeGrantHandler}, in league's order: code, expiry, client, redirect URI, PKCE;
 * and single use with revocation on reuse.
 */
class AuthorizationCodeGrantHandlerTests {

	private static final String REDIRECT = "https://app.example/callback";

	/** RFC 7636 Appendix B. */
	private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

	private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.clock);

	private final InMemoryAuthorizationStore authorizations = new InMemoryAuthorizationStore(this.revocations,
			this.clock);

	private final InMemoryAuthorizationCodeStore codes = new InMemoryAuthorizationCodeStore(this.clock);

	private final InMemoryUserStore users = new InMemoryUserStore();

	private final TokenIssuer issuer = new TokenIssuer(
			new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(signingKey()), ISSUER), this.authorizations,
			Duration.ofHours(1), Duration.ofDays(30), this.clock, Schedulers.immediate(), 1000,
			UnitTestFixtures.ALLOWED);

	private final AuthorizationCodeGrantHandler handler = new AuthorizationCodeGrantHandler(this.issuer, this.codes,
			this.authorizations, this.users, this.clock);

	private final RegisteredClient client = client().id("web-app").grantTypes(GrantType.AUTHORIZATION_CODE).build();

	@BeforeEach
	void saveUser() {
		this.users.save(user().id("user-1").username("alice").password("pw").build()).block();
	}

	@Test
	void exchangeWhenCodeRedirectAndVerifierMatchThenAccessAndRefreshToken() {
		issue("code-1", REDIRECT, CHALLENGE, Pkce.S256);

		StepVerifier.create(this.handler.handle(request("code-1", REDIRECT, VERIFIER), this.client))
			.assertNext((tokens) -> {
				assertThat(tokens.refreshToken()).isNotNull();
				assertAccessToken(tokens.accessToken(), tokens.accessToken().jti().substring(0, 32), "web-app",
						"user-1", Set.of(), Duration.ofHours(1));
			})
			.verifyComplete();
	}

	@Test
	void exchangeWhenCodeReusedThenRevokedAndTokensFromItEnd() {
		issue("code-1", REDIRECT, null, null);
		IssuedTokens first = this.handler.handle(request("code-1", REDIRECT, null), this.client).block();

		StepVerifier.create(this.handler.handle(request("code-1", REDIRECT, null), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Authorization code has been revoked"))
			.verify();
		assertThat(this.revocations.isRevoked(first.accessToken().jti()).block()).isTrue();
		assertThat(this.authorizations.findById(first.accessToken().jti().substring(0, 32)).block()).isNull();
	}

	@Test
	void exchangeWhenUnknownCodeThenCannotDecrypt() {
		StepVerifier.create(this.handler.handle(request("never-issued", REDIRECT, null), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Cannot decrypt the authorization code"))
			.verify();
	}

	@Test
	void exchangeWhenMissingCodeThenInvalidRequestNamingIt() {
		StepVerifier.create(this.handler.handle(request(null, REDIRECT, null), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Check the `code` parameter"))
			.verify();
	}

	@Test
	void exchangeWhenExpiredThenExpiredHint() {
		String code = "ab".repeat(32);
		issue(code, REDIRECT, null, null);
		this.clock.advance(Duration.ofMinutes(11));

		StepVerifier.create(this.handler.handle(request(code, REDIRECT, null), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Authorization code has expired"))
			.verify();
	}

	@Test
	void exchangeWhenOtherClientThenNotIssuedToThisClient() {
		issue("code-1", REDIRECT, null, null);
		RegisteredClient other = client().id("other-app").grantTypes(GrantType.AUTHORIZATION_CODE).build();

		StepVerifier.create(this.handler.handle(request("code-1", REDIRECT, null), other))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400,
					"Authorization code was not issued to this client"))
			.verify();
	}

	@Test
	void exchangeWhenRedirectUriMissingOrDifferentThenRefused() {
		issue("code-1", REDIRECT, null, null);
		issue("code-2", REDIRECT, null, null);

		StepVerifier.create(this.handler.handle(request("code-1", null, null), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Check the `redirect_uri` parameter"))
			.verify();
		StepVerifier.create(this.handler.handle(request("code-2", REDIRECT + "/other", null), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Invalid redirect URI"))
			.verify();
	}

	@Test
	void exchangeWhenPkceWrongThenLeaguesErrors() {
		issue("code-1", REDIRECT, CHALLENGE, Pkce.S256);
		issue("code-2", REDIRECT, CHALLENGE, Pkce.S256);
		issue("code-3", REDIRECT, CHALLENGE, Pkce.S256);
		issue("code-4", REDIRECT, null, null);

		StepVerifier.create(this.handler.handle(request("code-1", REDIRECT, VERIFIER.replace('d', 'e')), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_grant", 400, "Failed to verify `code_verifier`."))
			.verify();
		StepVerifier.create(this.handler.handle(request("code-2", REDIRECT, null), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Check the `code_verifier` parameter"))
			.verify();
		StepVerifier.create(this.handler.handle(request("code-3", REDIRECT, "too-short"), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400,
					"Code Verifier must follow the specifications of RFC-7636."))
			.verify();
		StepVerifier.create(this.handler.handle(request("code-4", REDIRECT, VERIFIER), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_request", 400,
					"code_verifier received when no code_challenge is present"))
			.verify();
	}

	@Test
	void exchangeWhenPlainChallengeThenVerifierMustEqualIt() {
		issue("code-1", REDIRECT, VERIFIER, Pkce.PLAIN);

		StepVerifier.create(this.handler.handle(request("code-1", REDIRECT, VERIFIER), this.client))
			.expectNextCount(1)
			.verifyComplete();
	}

	private void issue(String code, @Nullable String redirectUri, @Nullable String challenge, @Nullable String method) {
		this.codes.issue(TokenHashing.sha256Hex(code), new AuthorizationCode("web-app", "user-1", redirectUri, Set.of(),
				challenge, method, this.clock.instant(), this.clock.instant().plus(Duration.ofMinutes(10))))
			.block();
	}

	private static AuthorizationCodeRequest request(@Nullable String code, @Nullable String redirectUri,
			@Nullable String verifier) {
		return new AuthorizationCodeRequest(new ClientCredentials("web-app", "secret"), null, code, redirectUri,
				verifier);
	}

}
