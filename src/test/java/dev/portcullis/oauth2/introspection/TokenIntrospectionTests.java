package dev.portcullis.oauth2.introspection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.fixtures.TestRegisteredClients;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.AccessToken;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.RefreshTokens;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.TokenContext;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.proxy.JwtDecoderAccessTokenVerifier;
import dev.portcullis.proxy.RevocationCheckingJwtDecoder;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.MutableClock;
import dev.portcullis.support.RsaKeys;
import dev.portcullis.support.TokenHashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link TokenIntrospection} answers, on the in-memory stores and with the proxy's own decoder: the claims of an
 * active token of any client, {@code active:false} and nothing else for every other token, and a refusal for a
 * client that may not introspect.
 */
class TokenIntrospectionTests {

	private static final CurrentSigningKeys KEYS = CurrentSigningKeys.withActiveKey(RsaKeys.generate());

	private static final String ISSUER = "https://auth.example";

	private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));

	private final InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.clock);

	private final InMemoryAuthorizationStore authorizations = new InMemoryAuthorizationStore(this.revocations, this.clock);

	private final InMemoryUserStore users = new InMemoryUserStore();

	private final TokenIntrospection introspection = new TokenIntrospection(
			new JwtDecoderAccessTokenVerifier(
					new RevocationCheckingJwtDecoder(KEYS, Set.of(ISSUER), CLOCK_SKEW, this.revocations, this.clock)),
			this.authorizations, this.users, this.clock);

	/** A resource server: confidential, allowed to introspect, and not the client the tokens are issued to. */
	private final RegisteredClient resourceServer = TestRegisteredClients.registeredClient()
		.id("resource-server")
		.introspection(true)
		.build();

	@Test
	void introspectWhenAnotherClientsActiveAccessTokenThenItsClaims() {
		this.users.save(new User("user-1", "frank", "hash", true, false)).block();
		AccessToken token = accessToken("client-1", "user-1", this.clock.instant());
		save(TestAuthorizations.authorization(this.clock.instant())
			.id(TokenIds.authorizationIdOf(token.jti()))
			.accessTokenJti(token.jti())
			.scopes("read", "write")
			.build());

		IntrospectedToken answer = introspect(token.value(), this.resourceServer);

		assertThat(answer).isEqualTo(new IntrospectedToken(true, Set.of("read", "write"), "client-1", "frank", "Bearer",
				token.expiresAt(), token.issuedAt(), token.issuedAt(), "user-1", List.of("client-1"), ISSUER,
				token.jti()));
	}

	@Test
	void introspectWhenAClientActingAsItselfThenNoUsername() {
		AccessToken token = accessToken("client-1", "client-1", this.clock.instant());
		save(TestAuthorizations.clientCredentials(this.clock.instant())
			.id(TokenIds.authorizationIdOf(token.jti()))
			.accessTokenJti(token.jti())
			.build());

		IntrospectedToken answer = introspect(token.value(), this.resourceServer);

		assertThat(answer.active()).isTrue();
		assertThat(answer.username()).isNull();
		assertThat(answer.subject()).isEqualTo("client-1");
	}

	@Test
	void introspectWhenTheCurrentRefreshTokenThenItsGrantsClaimsWithoutATokenType() {
		this.users.save(new User("user-1", "frank", "hash", true, false)).block();
		String refreshToken = RefreshTokens.generate(TokenIds.newAuthorizationId());
		Authorization grant = save(TestAuthorizations.authorization(this.clock.instant())
			.id(RefreshTokens.authorizationIdOf(refreshToken))
			.refreshTokenHash(TokenHashing.sha256Hex(refreshToken))
			.build());

		IntrospectedToken answer = introspect(refreshToken, this.resourceServer);

		assertThat(answer).isEqualTo(new IntrospectedToken(true, Set.of("read"), grant.clientId(), "frank", null,
				grant.refreshTokenExpiresAt(), grant.accessTokenIssuedAt(), null, "user-1", List.of(), null, null));
	}

	@Test
	void introspectWhenARotatedOutRefreshTokenThenInactive() {
		String oldRefreshToken = RefreshTokens.generate(TokenIds.newAuthorizationId());
		save(TestAuthorizations.rotated(TestAuthorizations.authorization(this.clock.instant())
			.id(RefreshTokens.authorizationIdOf(oldRefreshToken))
			.refreshTokenHash(TokenHashing.sha256Hex(oldRefreshToken))
			.build(), this.clock.instant()));

		assertThat(introspect(oldRefreshToken, this.resourceServer)).isEqualTo(IntrospectedToken.inactive());
	}

	@Test
	void introspectWhenTheRefreshTokenExpiredThenInactive() {
		String refreshToken = RefreshTokens.generate(TokenIds.newAuthorizationId());
		Authorization grant = save(TestAuthorizations.authorization(this.clock.instant())
			.id(RefreshTokens.authorizationIdOf(refreshToken))
			.refreshTokenHash(TokenHashing.sha256Hex(refreshToken))
			.build());
		advanceTo(grant.refreshTokenExpiresAt());

		assertThat(introspect(refreshToken, this.resourceServer)).isEqualTo(IntrospectedToken.inactive());
	}

	@Test
	void introspectWhenTheAccessTokenExpiredBeyondTheClockSkewThenInactive() {
		AccessToken token = accessToken("client-1", "user-1", this.clock.instant());
		save(TestAuthorizations.authorization(this.clock.instant())
			.id(TokenIds.authorizationIdOf(token.jti()))
			.accessTokenJti(token.jti())
			.refreshTokenHash(TestAuthorizations.newRefreshTokenHash())
			.build());

		advanceTo(token.expiresAt().plus(CLOCK_SKEW).minusSeconds(1));
		assertThat(introspect(token.value(), this.resourceServer).active()).as("within the skew, as at the proxy").isTrue();
		advanceTo(token.expiresAt().plus(CLOCK_SKEW).plusSeconds(1));
		assertThat(introspect(token.value(), this.resourceServer)).isEqualTo(IntrospectedToken.inactive());
	}

	@Test
	void introspectWhenTheGrantWasRevokedThenItsAccessTokenInactive() {
		AccessToken token = accessToken("client-1", "user-1", this.clock.instant());
		Authorization grant = save(TestAuthorizations.authorization(this.clock.instant())
			.id(TokenIds.authorizationIdOf(token.jti()))
			.accessTokenJti(token.jti())
			.build());
		assertThat(introspect(token.value(), this.resourceServer).active()).isTrue();

		this.authorizations.remove(grant.id()).block();

		assertThat(introspect(token.value(), this.resourceServer)).isEqualTo(IntrospectedToken.inactive());
	}

	@Test
	void introspectWhenSignedByAnotherKeyThenInactive() {
		AccessToken forged = new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(RsaKeys.generate()), ISSUER)
			.generate(new TokenContext(TokenIds.newAuthorizationId(), "client-1", "user-1", Set.of("read"),
					this.clock.instant(), Duration.ofHours(1)), SigningAlgorithm.RS256);
		save(TestAuthorizations.authorization(this.clock.instant())
			.id(TokenIds.authorizationIdOf(forged.jti()))
			.accessTokenJti(forged.jti())
			.build());

		assertThat(introspect(forged.value(), this.resourceServer)).isEqualTo(IntrospectedToken.inactive());
	}

	@ParameterizedTest
	@ValueSource(strings = { "unknown", "a.b.c", "eyJhbGciOiJub25lIn0.e30.",
			"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" })
	void introspectWhenNotOneOfOurTokensThenInactive(String token) {
		assertThat(introspect(token, this.resourceServer)).isEqualTo(IntrospectedToken.inactive());
	}

	@Test
	void introspectWhenLongerThanAnyTokenThenInactiveWithoutLookingAtIt() {
		AccessToken token = accessToken("client-1", "user-1", this.clock.instant());
		save(TestAuthorizations.authorization(this.clock.instant())
			.id(TokenIds.authorizationIdOf(token.jti()))
			.accessTokenJti(token.jti())
			.build());

		String padded = token.value() + " ".repeat(TokenIntrospection.MAX_TOKEN_LENGTH);

		assertThat(introspect(padded, this.resourceServer)).isEqualTo(IntrospectedToken.inactive());
	}

	/** The attack: a client that is not a resource server asks about a token it found. */
	@Test
	void introspectWhenTheClientMayNotIntrospectThenRefusedWhateverTheToken() {
		AccessToken token = accessToken("client-1", "user-1", this.clock.instant());
		save(TestAuthorizations.authorization(this.clock.instant())
			.id(TokenIds.authorizationIdOf(token.jti()))
			.accessTokenJti(token.jti())
			.build());
		RegisteredClient ordinary = TestRegisteredClients.registeredClient().build();
		// a public client cannot authenticate: a setting stored for one by other means counts for nothing
		RegisteredClient publicClient = TestRegisteredClients.publicClient().introspection(true).build();

		for (RegisteredClient caller : List.of(ordinary, publicClient)) {
			for (String asked : List.of(token.value(), "unknown")) {
				StepVerifier.create(this.introspection.introspect(request(asked), caller))
					.expectErrorSatisfies((ex) -> assertThat(((OAuth2Exception) ex).getError().httpStatus()).isEqualTo(403))
					.verify(Duration.ofSeconds(5));
			}
		}
	}

	private IntrospectedToken introspect(String token, RegisteredClient caller) {
		return this.introspection.introspect(request(token), caller).block(Duration.ofSeconds(5));
	}

	private void advanceTo(Instant instant) {
		this.clock.advance(Duration.between(this.clock.instant(), instant));
	}

	private Authorization save(Authorization authorization) {
		this.authorizations.save(authorization).block();
		return authorization;
	}

	private AccessToken accessToken(String clientId, String subject, Instant issuedAt) {
		return new JwtAccessTokenGenerator(KEYS, ISSUER).generate(new TokenContext(TokenIds.newAuthorizationId(),
				clientId, subject, Set.of("read", "write"), issuedAt, Duration.ofHours(1)), SigningAlgorithm.RS256);
	}

	private static IntrospectionRequest request(String token) {
		return new IntrospectionRequest(new ClientCredentials("resource-server", "secret"), token);
	}

}
