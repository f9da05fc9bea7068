package dev.portcullis.oauth2.grant;

import java.time.Duration;
import java.util.Set;

import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.MutableClock;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.TokenRequest.ClientCredentialsRequest;
import dev.portcullis.oauth2.TokenRequest.PasswordRequest;
import dev.portcullis.oauth2.TokenRequest.RefreshTokenRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import org.jspecify.annotations.Nullable;
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
 * Tests for {@link ClientCredentialsGrantHandler}, in league's order: scope, then the associated user.
 */
class ClientCredentialsGrantHandlerTests {

	private static final Duration ACCESS_TTL = Duration.ofHours(1);

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.clock);

	private final InMemoryAuthorizationStore authorizations = new InMemoryAuthorizationStore(this.revocations,
			this.clock);

	private final InMemoryUserStore users = new InMemoryUserStore();

	private final TokenIssuer issuer = new TokenIssuer(
			new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(signingKey()), ISSUER), this.authorizations, ACCESS_TTL,
			Duration.ofDays(14), this.clock, Schedulers.immediate(), 1000,
			UnitTestFixtures.ALLOWED);

	private final ClientCredentialsGrantHandler handler = new ClientCredentialsGrantHandler(this.issuer, this.users);

	@Test
	void supportsWhenClientCredentialsRequestThenTrueElseFalse() {
		ClientCredentials credentials = new ClientCredentials("client-1", "secret-1");

		assertThat(this.handler.supports(new ClientCredentialsRequest(credentials, null))).isTrue();
		assertThat(this.handler.supports(new PasswordRequest(credentials, null, "alice", "pw"))).isFalse();
		assertThat(this.handler.supports(new RefreshTokenRequest(credentials, null, "token"))).isFalse();
	}

	@Test
	void handleWhenNoAssociatedUserThenSubjectIsClientIdAndNoRefreshToken() {
		RegisteredClient client = client().build();

		StepVerifier.create(this.handler.handle(request(null), client)).assertNext((tokens) -> {
			Authorization authorization = storedAuthorization(tokens);
			assertAccessToken(tokens.accessToken(), authorization.id(), "client-1", "client-1", Set.of(), ACCESS_TTL);
			assertThat(tokens.refreshToken()).isNull();
			assertThat(tokens.scopes()).isEmpty();
			assertThat(tokens.scopeRequested()).isFalse();
			assertThat(authorization.userId()).isNull();
			assertThat(authorization.subject()).isEqualTo("client-1");
			assertThat(authorization.grantType()).isEqualTo(GrantType.CLIENT_CREDENTIALS);
			assertThat(authorization.refreshTokenHash()).isNull();
			assertThat(authorization.refreshTokenExpiresAt()).isNull();
			assertThat(authorization.accessTokenIssuedAt()).isEqualTo(this.clock.instant());
		}).verifyComplete();
	}

	@Test
	void handleWhenActiveAssociatedUserThenSubjectIsUserId() {
		this.users.save(user().id("user-7").build()).block();
		RegisteredClient client = client().associatedUserId("user-7").build();

		StepVerifier.create(this.handler.handle(request(null), client)).assertNext((tokens) -> {
			Authorization authorization = storedAuthorization(tokens);
			assertAccessToken(tokens.accessToken(), authorization.id(), "client-1", "user-7", Set.of(), ACCESS_TTL);
			assertThat(authorization.userId()).isEqualTo("user-7");
			assertThat(tokens.refreshToken()).isNull();
		}).verifyComplete();
	}

	@Test
	void handleWhenAssociatedUserInactiveThenUnauthorizedClientAndNothingIssued() {
		this.users.save(user().id("user-7").inactive().build()).block();
		RegisteredClient client = client().associatedUserId("user-7").build();

		StepVerifier.create(this.handler.handle(request(null), client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "unauthorized_client", 400,
					"The client's associated user is inactive or no longer exists"))
			.verify();
		StepVerifier.create(this.authorizations.findByClientId("client-1")).verifyComplete();
	}

	@Test
	void handleWhenAssociatedUserMissingThenUnauthorizedClient() {
		RegisteredClient client = client().associatedUserId("user-gone").build();

		StepVerifier.create(this.handler.handle(request(null), client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "unauthorized_client", 400,
					"The client's associated user is inactive or no longer exists"))
			.verify();
	}

	@Test
	void handleWhenScopeNotAllowedThenInvalidScopeNamingTheFirstOne() {
		RegisteredClient client = client().scopes("read").build();

		StepVerifier.create(this.handler.handle(request("read write admin"), client))
			.expectErrorSatisfies((ex) -> {
				var error = assertOAuth2Error(ex, "invalid_scope", 400, "Check the `write` scope");
				assertThat(error.description()).isEqualTo("The requested scope is invalid, unknown, or malformed");
			})
			.verify();
		StepVerifier.create(this.authorizations.findByClientId("client-1")).verifyComplete();
	}

	@Test
	void handleWhenClientHasNoScopesAndOneIsRequestedThenInvalidScope() {
		// SuiteCRM: any non-empty scope is invalid
		StepVerifier.create(this.handler.handle(request("basic"), client().build()))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_scope", 400, "Check the `basic` scope"))
			.verify();
	}

	@Test
	void handleWhenScopeInvalidAndAssociatedUserInactiveThenScopeCheckedFirst() {
		this.users.save(user().id("user-7").inactive().build()).block();
		RegisteredClient client = client().associatedUserId("user-7").build();

		StepVerifier.create(this.handler.handle(request("admin"), client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_scope", 400, "Check the `admin` scope"))
			.verify();
	}

	@Test
	void handleWhenAllowedScopesRequestedThenGrantedInTokenAndResponse() {
		RegisteredClient client = client().scopes("read", "write", "admin").build();

		StepVerifier.create(this.handler.handle(request(" write  read "), client)).assertNext((tokens) -> {
			Authorization authorization = storedAuthorization(tokens);
			assertAccessToken(tokens.accessToken(), authorization.id(), "client-1", "client-1",
					Set.of("read", "write"), ACCESS_TTL);
			assertThat(tokens.scopes()).containsExactly("write", "read");
			assertThat(tokens.scopeRequested()).isTrue();
			assertThat(authorization.scopes()).containsExactlyInAnyOrder("read", "write");
		}).verifyComplete();
	}

	@Test
	void handleWhenClientHasItsOwnAccessTokenTtlThenItIsUsed() {
		RegisteredClient client = client().accessTokenTtl(Duration.ofMinutes(10)).build();

		StepVerifier.create(this.handler.handle(request(null), client)).assertNext((tokens) -> {
			assertAccessToken(tokens.accessToken(), storedAuthorization(tokens).id(), "client-1", "client-1",
					Set.of(), Duration.ofMinutes(10));
			assertThat(tokens.accessToken().expiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(10)));
		}).verifyComplete();
	}

	@Test
	void handleWhenClockBetweenSecondsThenTimesAreWholeSeconds() {
		this.clock.advance(Duration.ofMillis(1_750));

		StepVerifier.create(this.handler.handle(request(null), client().build())).assertNext((tokens) -> {
			assertThat(tokens.accessToken().issuedAt()).isEqualTo(this.clock.instant().minusMillis(750));
			assertAccessToken(tokens.accessToken(), storedAuthorization(tokens).id(), "client-1", "client-1",
					Set.of(), ACCESS_TTL);
		}).verifyComplete();
	}

	@Test
	void handleWhenCalledTwiceThenTwoAuthorizationsWithDifferentIds() {
		RegisteredClient client = client().build();

		IssuedTokens first = this.handler.handle(request(null), client).block();
		IssuedTokens second = this.handler.handle(request(null), client).block();

		assertThat(first.accessToken().jti().substring(0, 32)).isNotEqualTo(second.accessToken().jti().substring(0, 32));
		StepVerifier.create(this.authorizations.findByClientId("client-1")).expectNextCount(2).verifyComplete();
	}

	private static ClientCredentialsRequest request(@Nullable String scope) {
		return new ClientCredentialsRequest(new ClientCredentials("client-1", "secret-1"), scope);
	}

	/** The authorization whose current access token is the one issued. */
	private Authorization storedAuthorization(IssuedTokens tokens) {
		Authorization authorization = this.authorizations.findById(tokens.accessToken().jti().substring(0, 32)).block();
		assertThat(authorization).as("stored authorization").isNotNull();
		assertThat(authorization.accessTokenJti()).isEqualTo(tokens.accessToken().jti());
		assertThat(authorization.accessTokenExpiresAt()).isEqualTo(tokens.accessToken().expiresAt());
		assertThat(authorization.clientId()).isEqualTo("client-1");
		return authorization;
	}

}
