package dev.portcullis.oauth2.grant;

import java.time.Duration;
import java.util.Set;

import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.MutableClock;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.oauth2.TokenRequest.ClientCredentialsRequest;
import dev.portcullis.oauth2.TokenRequest.PasswordRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static dev.portcullis.fixtures.UnitTestFixtures.HASHER;
import static dev.portcullis.fixtures.UnitTestFixtures.ISSUER;
import static dev.portcullis.fixtures.UnitTestFixtures.assertAccessToken;
import static dev.portcullis.fixtures.UnitTestFixtures.assertOAuth2Error;
import static dev.portcullis.fixtures.UnitTestFixtures.client;
import static dev.portcullis.fixtures.UnitTestFixtures.signingKey;
import static dev.portcullis.fixtures.UnitTestFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PasswordGrantHandler}, in league's order: scope, {@code username}, {@code password}, then the
 * credentials.
 */
class PasswordGrantHandlerTests {

	private static final Duration ACCESS_TTL = Duration.ofHours(1);

	private static final Duration REFRESH_TTL = Duration.ofDays(14);

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.clock);

	private final InMemoryAuthorizationStore authorizations = new InMemoryAuthorizationStore(this.revocations,
			this.clock);

	private final InMemoryUserStore users = new InMemoryUserStore();

	private final TokenIssuer issuer = new TokenIssuer(
			new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(signingKey()), ISSUER), this.authorizations, ACCESS_TTL,
			REFRESH_TTL, this.clock, Schedulers.immediate(), 1000,
			UnitTestFixtures.ALLOWED);

	private final PasswordGrantHandler handler = new PasswordGrantHandler(this.issuer,
			new UserAuthenticator(this.users, HASHER, UnitTestFixtures.hashing(Schedulers.immediate()),
					UnitTestFixtures.guard(this.clock)));

	private final RegisteredClient client = client().scopes("read", "write").build();

	@BeforeEach
	void saveUsers() {
		this.users.save(user().id("user-1").username("alice").password("password-1").build()).block();
		this.users.save(user().id("user-2").username("bob").password("password-2").inactive().build()).block();
	}

	@Test
	void supportsWhenPasswordRequestThenTrueElseFalse() {
		assertThat(this.handler.supports(request(null, "alice", "password-1"))).isTrue();
		assertThat(this.handler.supports(new ClientCredentialsRequest(new ClientCredentials("client-1", "s"), null)))
			.isFalse();
	}

	@Test
	void handleWhenCredentialsRightThenAccessAndRefreshTokenForTheUser() {
		StepVerifier.create(this.handler.handle(request(null, "alice", "password-1"), this.client))
			.assertNext((tokens) -> {
				Authorization authorization = storedAuthorization(tokens);
				assertAccessToken(tokens.accessToken(), authorization.id(), "client-1", "user-1", Set.of(),
						ACCESS_TTL);
				assertThat(tokens.refreshToken()).matches("[0-9a-f]{96}").startsWith(authorization.id());
				assertThat(tokens.scopeRequested()).isFalse();
				assertThat(authorization.userId()).isEqualTo("user-1");
				assertThat(authorization.subject()).isEqualTo("user-1");
				assertThat(authorization.grantType()).isEqualTo(GrantType.PASSWORD);
				assertThat(authorization.refreshTokenHash()).isEqualTo(TokenHashing.sha256Hex(tokens.refreshToken()));
				assertThat(authorization.refreshTokenExpiresAt()).isEqualTo(this.clock.instant().plus(REFRESH_TTL));
			})
			.verifyComplete();
	}

	@Test
	void handleWhenAllowedScopeRequestedThenGranted() {
		StepVerifier.create(this.handler.handle(request("read", "alice", "password-1"), this.client))
			.assertNext((tokens) -> {
				assertAccessToken(tokens.accessToken(), storedAuthorization(tokens).id(), "client-1", "user-1",
						Set.of("read"), ACCESS_TTL);
				assertThat(tokens.scopeRequested()).isTrue();
			})
			.verifyComplete();
	}

	@ParameterizedTest
	@ValueSource(strings = { "alice", "ALICE", "Alice", "aLiCe" })
	void handleWhenUsernameInAnyCaseThenSameUser(String username) {
		StepVerifier.create(this.handler.handle(request(null, username, "password-1"), this.client))
			.assertNext((tokens) -> assertThat(storedAuthorization(tokens).userId()).isEqualTo("user-1"))
			.verifyComplete();
	}

	@Test
	void handleWhenScopeInvalidAndUsernameMissingThenScopeCheckedFirst() {
		StepVerifier.create(this.handler.handle(request("admin", null, null), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_scope", 400, "Check the `admin` scope"))
			.verify();
	}

	@ParameterizedTest
	@NullAndEmptySource
	void handleWhenUsernameMissingThenInvalidRequestNamingIt(@Nullable String username) {
		StepVerifier.create(this.handler.handle(request(null, username, "password-1"), this.client))
			.expectErrorSatisfies((ex) -> {
				OAuth2Error error = assertOAuth2Error(ex, "invalid_request", 400, "Check the `username` parameter");
				assertThat(error.description()).startsWith("The request is missing a required parameter");
			})
			.verify();
	}

	@Test
	void handleWhenUsernameAndPasswordMissingThenUsernameCheckedFirst() {
		StepVerifier.create(this.handler.handle(request(null, null, null), this.client))
			.expectErrorSatisfies(
					(ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Check the `username` parameter"))
			.verify();
	}

	@ParameterizedTest
	@NullAndEmptySource
	void handleWhenPasswordMissingThenInvalidRequestNamingIt(@Nullable String password) {
		StepVerifier.create(this.handler.handle(request(null, "alice", password), this.client))
			.expectErrorSatisfies(
					(ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Check the `password` parameter"))
			.verify();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "wrong password, alice, password-2", "password in another case, alice, PASSWORD-1",
			"unknown user, carol, password-1", "inactive user, bob, password-2" })
	void handleWhenCredentialsDoNotMatchAnActiveUserThenInvalidGrantAndNothingIssued(String situation,
			String username, String password) {
		StepVerifier.create(this.handler.handle(request(null, username, password), this.client))
			.expectErrorSatisfies((ex) -> {
				OAuth2Error error = assertOAuth2Error(ex, "invalid_grant", 400, null);
				assertThat(error.description()).isEqualTo("The user credentials were incorrect.");
			})
			.verify();
		StepVerifier.create(this.authorizations.findByClientId("client-1")).verifyComplete();
	}

	private static PasswordRequest request(@Nullable String scope, @Nullable String username,
			@Nullable String password) {
		return new PasswordRequest(new ClientCredentials("client-1", "secret-1"), scope, username, password);
	}

	private Authorization storedAuthorization(IssuedTokens tokens) {
		Authorization authorization = this.authorizations.findById(tokens.accessToken().jti().substring(0, 32)).block();
		assertThat(authorization).as("stored authorization").isNotNull();
		assertThat(authorization.accessTokenJti()).isEqualTo(tokens.accessToken().jti());
		return authorization;
	}

}
