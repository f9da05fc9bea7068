package dev.portcullis.oauth2.grant;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.MutableClock;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.oauth2.TokenRequest.PasswordRequest;
import dev.portcullis.oauth2.TokenRequest.RefreshTokenRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
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
 * Tests for {@link RefreshTokenGrantHandler}: league's order of checks (present, decrypt, client, expiry, revoked,
 * scope) and its 401 {@code invalid_request} "The refresh token is invalid.", plus rotation with reuse detection.
 */
class RefreshTokenGrantHandlerTests {

	private static final Duration ACCESS_TTL = Duration.ofHours(1);

	private static final Duration REFRESH_TTL = Duration.ofDays(14);

	private static final Duration GRACE = Duration.ofSeconds(10);

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.clock);

	private final InMemoryAuthorizationStore authorizations = new InMemoryAuthorizationStore(this.revocations,
			this.clock);

	private final InMemoryUserStore users = new InMemoryUserStore();

	private final TokenIssuer issuer = new TokenIssuer(
			new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(signingKey()), ISSUER), this.authorizations, ACCESS_TTL,
			REFRESH_TTL, this.clock, Schedulers.immediate(), 1000,
			UnitTestFixtures.ALLOWED);

	private final RefreshTokenGrantHandler handler = new RefreshTokenGrantHandler(this.issuer, this.authorizations,
			this.users, GRACE, this.clock);

	private final RegisteredClient client = client().scopes("read", "write", "admin").build();

	@BeforeEach
	void saveUser() {
		this.users.save(user().id("user-1").build()).block();
	}

	@Test
	void supportsWhenRefreshTokenRequestThenTrueElseFalse() {
		ClientCredentials credentials = new ClientCredentials("client-1", "secret-1");

		assertThat(this.handler.supports(new RefreshTokenRequest(credentials, null, "token"))).isTrue();
		assertThat(this.handler.supports(new PasswordRequest(credentials, null, "alice", "pw"))).isFalse();
	}

	@ParameterizedTest
	@NullAndEmptySource
	void handleWhenRefreshTokenMissingThenInvalidRequestNamingIt(@Nullable String refreshToken) {
		StepVerifier.create(this.handler.handle(request(null, refreshToken), this.client))
			.expectErrorSatisfies(
					(ex) -> assertOAuth2Error(ex, "invalid_request", 400, "Check the `refresh_token` parameter"))
			.verify();
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "def502001234abcd", "0123456789abcdef0123456789abcdef",
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
			"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0" })
	void handleWhenMalformedThenCannotDecrypt401(String refreshToken) {
		StepVerifier.create(this.handler.handle(request(null, refreshToken), this.client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Cannot decrypt the refresh token"))
			.verify();
	}

	@Test
	void handleWhenUpperCaseFormOfRealTokenThenCannotDecrypt() {
		IssuedTokens granted = grant(this.client, Set.of());

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken().toUpperCase()), this.client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Cannot decrypt the refresh token"))
			.verify();
	}

	@Test
	void handleWhenWellFormedButNeverIssuedThenRevoked() {
		String neverIssued = "0123456789abcdef".repeat(6);

		StepVerifier.create(this.handler.handle(request(null, neverIssued), this.client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has been revoked"))
			.verify();
	}

	@Test
	void handleWhenIssuedToAnotherClientThenNotLinkedAndGrantSurvives() {
		IssuedTokens granted = grant(this.client, Set.of());
		RegisteredClient other = client().id("client-2").build();

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), other))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token is not linked to client"))
			.verify();
		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void handleWhenRefreshTokenExpiredThenTokenHasExpired() {
		// an access token that outlives the refresh token keeps the authorization stored past the refresh expiry
		RegisteredClient client = client().accessTokenTtl(Duration.ofHours(2)).refreshTokenTtl(Duration.ofHours(1))
			.build();
		IssuedTokens granted = grant(client, Set.of());

		this.clock.advance(Duration.ofHours(1));

		StepVerifier.create(this.authorizations.findById(authorizationId(granted))).expectNextCount(1).verifyComplete();
		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has expired"))
			.verify();
	}

	@Test
	void handleWhenOneSecondBeforeRefreshExpiryThenRotated() {
		RegisteredClient client = client().accessTokenTtl(Duration.ofHours(2)).refreshTokenTtl(Duration.ofHours(1))
			.build();
		IssuedTokens granted = grant(client, Set.of());

		this.clock.advance(Duration.ofHours(1).minusSeconds(1));

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), client))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void handleWhenOtherClientAndExpiredThenClientCheckedFirst() {
		RegisteredClient client = client().accessTokenTtl(Duration.ofHours(2)).refreshTokenTtl(Duration.ofHours(1))
			.build();
		IssuedTokens granted = grant(client, Set.of());
		this.clock.advance(Duration.ofHours(1));

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), client().id("client-2").build()))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token is not linked to client"))
			.verify();
	}

	@Test
	void handleWhenExpiredAndScopeWidenedThenExpiryCheckedFirst() {
		RegisteredClient client = client().scopes("read", "admin").accessTokenTtl(Duration.ofHours(2))
			.refreshTokenTtl(Duration.ofHours(1)).build();
		IssuedTokens granted = grant(client, Set.of("read"));
		this.clock.advance(Duration.ofHours(1));

		StepVerifier.create(this.handler.handle(request("admin", granted.refreshToken()), client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has expired"))
			.verify();
	}

	@Test
	void handleWhenCurrentRefreshTokenThenRotatedToNewPairAndOldAccessTokenRevoked() {
		IssuedTokens granted = grant(this.client, Set.of("read", "write"));
		String authorizationId = authorizationId(granted);
		this.clock.advance(Duration.ofMinutes(30));

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.assertNext((refreshed) -> {
				assertAccessToken(refreshed.accessToken(), authorizationId, "client-1", "user-1",
						Set.of("read", "write"), ACCESS_TTL);
				assertThat(refreshed.accessToken().issuedAt()).isEqualTo(this.clock.instant());
				assertThat(refreshed.accessToken().jti()).isNotEqualTo(granted.accessToken().jti());
				assertThat(refreshed.refreshToken()).matches("[0-9a-f]{96}")
					.startsWith(authorizationId)
					.isNotEqualTo(granted.refreshToken());
				assertThat(refreshed.scopes()).containsExactlyInAnyOrder("read", "write");
				assertThat(refreshed.scopeRequested()).isFalse();

				Authorization stored = this.authorizations.findById(authorizationId).block();
				assertThat(stored.accessTokenJti()).isEqualTo(refreshed.accessToken().jti());
				assertThat(stored.refreshTokenHash()).isEqualTo(TokenHashing.sha256Hex(refreshed.refreshToken()));
				assertThat(stored.refreshTokenExpiresAt()).isEqualTo(this.clock.instant().plus(REFRESH_TTL));
				assertThat(stored.grantType()).isEqualTo(GrantType.PASSWORD);
				assertThat(stored.createdAt()).isEqualTo(granted.accessToken().issuedAt());
			})
			.verifyComplete();
		StepVerifier.create(this.revocations.isRevoked(granted.accessToken().jti())).expectNext(true).verifyComplete();
	}

	@Test
	void handleWhenRotatedTwiceThenEachNewTokenWorksOnce() {
		IssuedTokens granted = grant(this.client, Set.of());

		IssuedTokens second = this.handler.handle(request(null, granted.refreshToken()), this.client).block();
		IssuedTokens third = this.handler.handle(request(null, second.refreshToken()), this.client).block();

		assertThat(third.refreshToken()).isNotIn(granted.refreshToken(), second.refreshToken());
		StepVerifier.create(this.revocations.isRevoked(second.accessToken().jti())).expectNext(true).verifyComplete();
		StepVerifier.create(this.revocations.isRevoked(third.accessToken().jti())).expectNext(false).verifyComplete();
	}

	@Test
	void handleWhenRotatedOutTokenReusedAfterGracePeriodThenRevokedAndWholeGrantEnds() {
		IssuedTokens granted = grant(this.client, Set.of());
		IssuedTokens refreshed = this.handler.handle(request(null, granted.refreshToken()), this.client).block();

		this.clock.advance(GRACE.plusSeconds(1));

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has been revoked"))
			.verify();
		// RFC 9700 §4.14.2: the legitimate client's new refresh and access token die with the stolen one
		StepVerifier.create(this.handler.handle(request(null, refreshed.refreshToken()), this.client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has been revoked"))
			.verify();
		StepVerifier.create(this.revocations.isRevoked(refreshed.accessToken().jti()))
			.expectNext(true)
			.verifyComplete();
		StepVerifier.create(this.authorizations.findById(authorizationId(granted))).verifyComplete();
	}

	@Test
	void handleWhenRotatedOutTokenReusedWithinGracePeriodThenRefusedButGrantSurvives() {
		// two concurrent refreshes of one token: the loser is refused, the winner's tokens stay valid
		IssuedTokens granted = grant(this.client, Set.of());
		IssuedTokens refreshed = this.handler.handle(request(null, granted.refreshToken()), this.client).block();

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has been revoked"))
			.verify();
		StepVerifier.create(this.revocations.isRevoked(refreshed.accessToken().jti()))
			.expectNext(false)
			.verifyComplete();
		StepVerifier.create(this.handler.handle(request(null, refreshed.refreshToken()), this.client))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void handleWhenGuessedTokenOfLiveAuthorizationThenRevokedButGrantSurvives() {
		IssuedTokens granted = grant(this.client, Set.of());
		String guessed = authorizationId(granted) + "0".repeat(64);

		StepVerifier.create(this.handler.handle(request(null, guessed), this.client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has been revoked"))
			.verify();
		StepVerifier.create(this.revocations.isRevoked(granted.accessToken().jti())).expectNext(false).verifyComplete();
		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void handleWhenNarrowerScopeRequestedThenGranted() {
		IssuedTokens granted = grant(this.client, Set.of("read", "write"));

		StepVerifier.create(this.handler.handle(request("read", granted.refreshToken()), this.client))
			.assertNext((refreshed) -> {
				assertAccessToken(refreshed.accessToken(), authorizationId(granted), "client-1", "user-1",
						Set.of("read"), ACCESS_TTL);
				assertThat(refreshed.scopes()).containsExactly("read");
				assertThat(refreshed.scopeRequested()).isTrue();
			})
			.verifyComplete();
	}

	@Test
	void handleWhenWiderScopeRequestedThenInvalidScopeAndTokenStillUsable() {
		// RFC 6749 §6: "MUST NOT include any scope not originally granted", even one the client may ask for
		IssuedTokens granted = grant(this.client, Set.of("read"));

		StepVerifier.create(this.handler.handle(request("read admin", granted.refreshToken()), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_scope", 400, "Check the `admin` scope"))
			.verify();
		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void handleWhenClientHasItsOwnTtlsThenRotationUsesThem() {
		RegisteredClient client = client().accessTokenTtl(Duration.ofMinutes(5)).refreshTokenTtl(Duration.ofDays(1))
			.build();
		IssuedTokens granted = grant(client, Set.of());

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), client))
			.assertNext((refreshed) -> {
				assertAccessToken(refreshed.accessToken(), authorizationId(granted), "client-1", "user-1", Set.of(),
						Duration.ofMinutes(5));
				assertThat(this.authorizations.findById(authorizationId(granted)).block().refreshTokenExpiresAt())
					.isEqualTo(this.clock.instant().plus(Duration.ofDays(1)));
			})
			.verifyComplete();
	}

	@Test
	void handleWhenUserDeactivatedSinceTheGrantThenRevokedAndAuthorizationRemoved() {
		IssuedTokens granted = grant(this.client, Set.of());
		this.users.save(user().id("user-1").inactive().build()).block();

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has been revoked"))
			.verify();
		StepVerifier.create(this.authorizations.findById(authorizationId(granted))).verifyComplete();
		StepVerifier.create(this.revocations.isRevoked(granted.accessToken().jti())).expectNext(true).verifyComplete();
	}

	@Test
	void handleWhenClientActsAsItselfThenRotatedWithoutUserCheck() {
		IssuedTokens granted = this.issuer.issue(this.client, null, GrantType.CLIENT_CREDENTIALS, Set.of(), true,
				false).block();

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.assertNext((refreshed) -> assertAccessToken(refreshed.accessToken(), authorizationId(granted),
					"client-1", "client-1", Set.of(), ACCESS_TTL))
			.verifyComplete();
	}

	/** What a password grant to user-1 issues. */
	@Test
	void handleWhenTheClientWasNarrowedAndNoScopeAskedThenOnlyWhatIsStillAllowedAndTheAnswerSaysSo() {
		IssuedTokens granted = grant(this.client, Set.of("read", "write"));
		RegisteredClient narrowed = client().scopes("read").build();

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), narrowed))
			.assertNext((tokens) -> {
				assertThat(tokens.scopes()).containsExactly("read");
				assertThat(tokens.scopeRequested()).as("RFC 6749 §5.1: scope in the answer when it differs").isTrue();
			})
			.verifyComplete();
	}

	@Test
	void handleWhenTheClientWasNarrowedAndTheRemovedScopeAskedThenInvalidScope() {
		IssuedTokens granted = grant(this.client, Set.of("read", "write"));
		RegisteredClient narrowed = client().scopes("read").build();

		StepVerifier.create(this.handler.handle(request("write", granted.refreshToken()), narrowed))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_scope", 400, "Check the `write` scope"))
			.verify();
	}

	@Test
	void handleWhenTheClientMayNoLongerUseTheGrantTypeThenRevokedAndTheGrantEnds() {
		IssuedTokens granted = grant(this.client, Set.of());
		RegisteredClient withoutPassword = client().scopes("read", "write", "admin")
			.grantTypes(GrantType.AUTHORIZATION_CODE)
			.build();

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), withoutPassword))
			.expectErrorSatisfies((ex) -> assertRefreshTokenInvalid(ex, "Token has been revoked"))
			.verify();
		assertThat(this.authorizations.findById(authorizationId(granted)).blockOptional()).isEmpty();
	}

	/** Issue 13: league 9 answers a grant the client does not support before it reads the token. */
	@Test
	void handleWhenTheClientGetsNoRefreshTokensThenUnauthorizedClientAndTheTokenIsNotRead() {
		IssuedTokens granted = grant(this.client, Set.of());
		RegisteredClient turnedOff = client().scopes("read", "write", "admin").refreshTokens(false).build();
		RegisteredClient clientCredentialsOnly = client().scopes("read", "write", "admin")
			.grantTypes(GrantType.CLIENT_CREDENTIALS, GrantType.REFRESH_TOKEN)
			.build();

		for (RegisteredClient refused : List.of(turnedOff, clientCredentialsOnly)) {
			StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), refused))
				.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "unauthorized_client", 400,
						"The client does not use refresh tokens"))
				.verify();
		}
		assertThat(this.authorizations.findById(authorizationId(granted)).blockOptional()).isPresent();
	}

	@Test
	void handleWhenTheUserIsNoLongerAnAdministratorThenTheAdminScopeIsNotRenewed() {
		this.users.save(user().id("user-1").admin().build()).block();
		IssuedTokens granted = grant(this.client, Set.of("admin", "read"));
		this.users.save(user().id("user-1").build()).block();

		StepVerifier.create(this.handler.handle(request(null, granted.refreshToken()), this.client))
			.assertNext((tokens) -> assertThat(tokens.scopes()).containsExactly("read"))
			.verifyComplete();
		IssuedTokens again = grant(this.client, Set.of("admin"));
		StepVerifier.create(this.handler.handle(request("admin", again.refreshToken()), this.client))
			.expectErrorSatisfies((ex) -> assertOAuth2Error(ex, "invalid_scope", 400, "Check the `admin` scope"))
			.verify();
	}

	private IssuedTokens grant(RegisteredClient client, Set<String> scopes) {
		IssuedTokens tokens = this.issuer.issue(client, "user-1", GrantType.PASSWORD, scopes, true, false).block();
		assertThat(tokens.refreshToken()).isNotNull();
		return tokens;
	}

	private static String authorizationId(IssuedTokens tokens) {
		return tokens.accessToken().jti().substring(0, 32);
	}

	private static RefreshTokenRequest request(@Nullable String scope, @Nullable String refreshToken) {
		return new RefreshTokenRequest(new ClientCredentials("client-1", "secret-1"), scope, refreshToken);
	}

	private static void assertRefreshTokenInvalid(Throwable ex, String hint) {
		OAuth2Error error = assertOAuth2Error(ex, "invalid_request", 401, hint);
		assertThat(error.description()).isEqualTo("The refresh token is invalid.");
	}

}
