package dev.portcullis.oauth2.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.fixtures.TestRegisteredClients;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.AccessToken;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.RefreshTokens;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.TokenContext;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.support.MutableClock;
import dev.portcullis.support.RsaKeys;
import dev.portcullis.support.TokenHashing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link TokenRevocation} ends, on the in-memory stores: only the current tokens of the presenting client's own
 * grants, and then the whole grant.
 */
class TokenRevocationTests {

	private static final CurrentSigningKeys KEYS = CurrentSigningKeys.withActiveKey(RsaKeys.generate());

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));

	private final InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.clock);

	private final InMemoryAuthorizationStore authorizations = new InMemoryAuthorizationStore(this.revocations, this.clock);

	private final TokenRevocation revocation = new TokenRevocation(this.authorizations, KEYS, java.time.Clock.systemUTC());

	private final RegisteredClient client = TestRegisteredClients.registeredClient().build();

	@Test
	void revokeWhenTheCurrentRefreshTokenThenTheGrantAndItsAccessTokenEnd() {
		String refreshToken = RefreshTokens.generate(TokenIds.newAuthorizationId());
		Authorization grant = save(TestAuthorizations.authorization(this.clock.instant())
			.id(RefreshTokens.authorizationIdOf(refreshToken))
			.refreshTokenHash(TokenHashing.sha256Hex(refreshToken))
			.build());

		this.revocation.revoke(request(refreshToken), this.client).block();

		assertThat(this.authorizations.findById(grant.id()).blockOptional()).isEmpty();
		assertThat(this.revocations.isRevoked(grant.accessTokenJti()).block()).isTrue();
	}

	@Test
	void revokeWhenARotatedOutRefreshTokenThenNothingEnds() {
		String oldRefreshToken = RefreshTokens.generate(TokenIds.newAuthorizationId());
		Authorization grant = save(TestAuthorizations.rotated(TestAuthorizations.authorization(this.clock.instant())
			.id(RefreshTokens.authorizationIdOf(oldRefreshToken))
			.refreshTokenHash(TokenHashing.sha256Hex(oldRefreshToken))
			.build(), this.clock.instant()));

		this.revocation.revoke(request(oldRefreshToken), this.client).block();

		assertThat(this.authorizations.findById(grant.id()).blockOptional()).isPresent();
	}

	@Test
	void revokeWhenTheCurrentAccessTokenHasExpiredThenTheGrantStillEnds() {
		AccessToken token = accessToken(this.clock.instant().minus(Duration.ofHours(2)), Duration.ofHours(1));
		Authorization grant = save(TestAuthorizations.authorization(this.clock.instant().minus(Duration.ofHours(2)))
			.id(TokenIds.authorizationIdOf(token.jti()))
			.accessTokenJti(token.jti())
			.build());

		this.revocation.revoke(request(token.value()), this.client).block();

		assertThat(this.authorizations.findById(grant.id()).blockOptional()).as("its refresh token ended too").isEmpty();
	}

	@Test
	void revokeWhenAnEarlierAccessTokenOfTheGrantThenNothingEnds() {
		AccessToken earlier = accessToken(this.clock.instant(), Duration.ofHours(1));
		Authorization grant = save(TestAuthorizations.authorization(this.clock.instant())
			.id(TokenIds.authorizationIdOf(earlier.jti()))
			.build());

		this.revocation.revoke(request(earlier.value()), this.client).block();

		assertThat(this.authorizations.findById(grant.id()).blockOptional()).isPresent();
	}

	@Test
	void revokeWhenThePublicClientsOwnRefreshTokenThenTheGrantEnds() {
		RegisteredClient publicClient = TestRegisteredClients.publicClient().build();
		String refreshToken = RefreshTokens.generate(TokenIds.newAuthorizationId());
		Authorization grant = save(TestAuthorizations.authorization(this.clock.instant())
			.id(RefreshTokens.authorizationIdOf(refreshToken))
			.clientId(publicClient.id())
			.refreshTokenHash(TokenHashing.sha256Hex(refreshToken))
			.build());

		this.revocation.revoke(request(refreshToken), this.client).block();
		assertThat(this.authorizations.findById(grant.id()).blockOptional()).as("not the presenting client's grant")
			.isPresent();

		this.revocation.revoke(request(refreshToken), publicClient).block();
		assertThat(this.authorizations.findById(grant.id()).blockOptional()).isEmpty();
	}

	private Authorization save(Authorization authorization) {
		this.authorizations.save(authorization).block();
		return authorization;
	}

	private AccessToken accessToken(Instant issuedAt, Duration lifetime) {
		return new JwtAccessTokenGenerator(KEYS, "portcullis").generate(new TokenContext(TokenIds.newAuthorizationId(),
				this.client.id(), "user-1", Set.of("read"), issuedAt, lifetime), SigningAlgorithm.RS256);
	}

	private static RevocationRequest request(String token) {
		return new RevocationRequest(new ClientCredentials("client-1", "secret"), token);
	}

}
