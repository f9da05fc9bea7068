package dev.portcullis.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import dev.portcullis.oauth2.token.AccessToken;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.RefreshTokens;
import dev.portcullis.oauth2.token.SigningKeys;
import dev.portcullis.oauth2.token.TokenContext;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.support.MutableClock;
import dev.portcullis.support.RsaKeys;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.jwt.BadJwtException;

/**
 * The bearer-token check, including its cache of verified tokens: a cached token is still refused once revoked or
 * expired, and a revocation store that cannot answer fails the check closed.
 */
class RevocationCheckingJwtDecoderTests {

	private static final SigningKeys KEYS = new SigningKeys(RsaKeys.generate());

	private final MutableClock clock = new MutableClock(Instant.now());

	private final InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.clock);

	private final RevocationCheckingJwtDecoder decoder = new RevocationCheckingJwtDecoder(KEYS, "issuer",
			Duration.ofSeconds(30), this.revocations, this.clock);

	@Test
	void decodeWhenValidThenJwtAndAgainFromCache() {
		AccessToken token = issue("issuer", Duration.ofMinutes(5));

		StepVerifier.create(this.decoder.decode(token.value()))
			.expectNextMatches((jwt) -> jwt.getId().equals(token.jti()))
			.verifyComplete();
		StepVerifier.create(this.decoder.decode(token.value()))
			.expectNextMatches((jwt) -> jwt.getId().equals(token.jti()))
			.verifyComplete();
	}

	@Test
	void decodeWhenCachedTokenRevokedThenRevokedHint() {
		AccessToken token = issue("issuer", Duration.ofMinutes(5));
		this.decoder.decode(token.value()).block();

		this.revocations.revoke(token.jti(), token.expiresAt()).block();

		StepVerifier.create(this.decoder.decode(token.value()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.REVOKED))
			.verify();
	}

	@Test
	void decodeWhenCachedTokenExpiresThenExpiredHint() {
		AccessToken token = issue("issuer", Duration.ofMinutes(5));
		this.decoder.decode(token.value()).block();

		this.clock.advance(Duration.ofMinutes(6));

		StepVerifier.create(this.decoder.decode(token.value()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.EXPIRED))
			.verify();
	}

	@Test
	void decodeWhenWrongIssuerThenNotVerified() {
		StepVerifier.create(this.decoder.decode(issue("someone-else", Duration.ofMinutes(5)).value()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
			.verify();
	}

	@Test
	void decodeWhenRevocationStoreFailsThenFailsClosed() {
		RevocationCheckingJwtDecoder failing = new RevocationCheckingJwtDecoder(KEYS, "issuer", Duration.ofSeconds(30),
				new InMemoryRevocationStore(this.clock) {

					@Override
					public Mono<Boolean> isRevoked(String jti) {
						return Mono.error(new IllegalStateException("Redis is down"));
					}

				}, this.clock);

		StepVerifier.create(failing.decode(issue("issuer", Duration.ofMinutes(5)).value()))
			.expectError(AuthenticationServiceException.class)
			.verify();
	}

	private AccessToken issue(String issuer, Duration lifetime) {
		return new JwtAccessTokenGenerator(KEYS, issuer).generate(new TokenContext(RefreshTokens.newAuthorizationId(),
				"client", "user", Set.of(), this.clock.instant(), lifetime));
	}

}
