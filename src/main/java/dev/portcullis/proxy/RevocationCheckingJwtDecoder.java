package dev.portcullis.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWK;
import dev.portcullis.oauth2.store.RevocationStore;
import dev.portcullis.oauth2.token.SigningKeys;
import dev.portcullis.support.StoreFailures;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Checks a bearer token as the gateway issued it: the signature with the gateway's own public keys (never fetched
 * over the network), the algorithm pinned to RS256 (no {@code none}, no HS256 made with the public key),
 * {@code exp}/{@code nbf} with the configured clock skew, {@code iss}, and a {@code jti}; then asks the
 * {@link RevocationStore} whether the token was ended early (refresh rotation, logout, reuse detection, an admin).
 *
 * <p>Only the canonical spelling of a compact JWS is read ({@link CompactJws}), so a token's text is unique to it.
 * A token that verified once is remembered (by that text) until it expires, so the signature and claims are not
 * checked again on every request; the revocation store is asked on every request (with Redis, the replica's
 * local view answers most of them and revocation announcements end what it remembers: see
 * {@code LocalRevocationView}).
 *
 * <p>Failures carry the hint the 401 answer gives. When the revocation store cannot be asked the check fails
 * closed: an {@link AuthenticationServiceException}, answered 503, never a forward and never a 401. Any other failure
 * of the check (a bug) is not dressed up as an outage: it stays an error, answered 500 and logged.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6750#section-3.1">RFC 6750 §3.1</a>
 */
public final class RevocationCheckingJwtDecoder implements ReactiveJwtDecoder {

	/** Bounds the memory of the verified-token cache; past it, expired tokens go first, then everything. */
	private static final int MAX_CACHED_TOKENS = 10_000;

	private final ReactiveJwtDecoder signatureAndClaims;

	private final RevocationStore revocations;

	private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

	private final Duration clockSkew;

	private final Clock clock;

	/**
	 * @param issuers the "iss" values accepted: the one new tokens carry, and an earlier one whose tokens may still
	 * be live
	 */
	public RevocationCheckingJwtDecoder(SigningKeys keys, Set<String> issuers, Duration clockSkew,
			RevocationStore revocations, Clock clock) {
		List<JWK> verificationKeys = List.copyOf(keys.verificationKeys());
		Set<String> accepted = Set.copyOf(issuers);
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			.withJwkSource((jwt) -> Flux.fromIterable(verificationKeys))
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
		JwtTimestampValidator timestamps = new JwtTimestampValidator(clockSkew);
		timestamps.setClock(clock);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps,
				new JwtClaimValidator<String>(JwtClaimNames.ISS, (issuer) -> issuer != null && accepted.contains(issuer)),
				RevocationCheckingJwtDecoder::requireExpiryAndId));
		this.signatureAndClaims = decoder;
		this.revocations = revocations;
		this.clockSkew = clockSkew;
		this.clock = clock;
	}

	@Override
	public Mono<Jwt> decode(String token) throws JwtException {
		// @formatter:off
		return verified(token)
				.flatMap((jwt) -> this.revocations.isRevoked(jwt.getId())
						.onErrorMap(StoreFailures::isUnavailable, (ex) -> new AuthenticationServiceException("The revocation store cannot be reached", ex))
						.flatMap((revoked) -> revoked ? Mono.error(new BadJwtException(BearerTokenHints.REVOKED)) : Mono.just(jwt)));
		// @formatter:on
	}

	private Mono<Jwt> verified(String token) {
		Jwt cached = this.verified.get(token);
		if (cached != null) {
			if (this.clock.instant().minus(this.clockSkew).isBefore(cached.getExpiresAt())) {
				return Mono.just(cached);
			}
			this.verified.remove(token);
			return Mono.error(new BadJwtException(BearerTokenHints.EXPIRED));
		}
		// checked on a miss only: a remembered token passed this check before it was remembered
		if (!CompactJws.isCanonical(token)) {
			return Mono.error(new BadJwtException(BearerTokenHints.NOT_VERIFIED));
		}
		// @formatter:off
		return this.signatureAndClaims.decode(token)
				.onErrorMap(JwtException.class, RevocationCheckingJwtDecoder::withHint)
				.doOnNext((jwt) -> remember(token, jwt));
		// @formatter:on
	}

	private void remember(String token, Jwt jwt) {
		if (this.verified.size() >= MAX_CACHED_TOKENS) {
			Instant now = this.clock.instant().minus(this.clockSkew);
			this.verified.values().removeIf((cached) -> !now.isBefore(cached.getExpiresAt()));
			if (this.verified.size() >= MAX_CACHED_TOKENS) {
				this.verified.clear();
			}
		}
		this.verified.put(token, jwt);
	}

	/** How many verified tokens are remembered (tests). */
	int cachedTokens() {
		return this.verified.size();
	}

	private static BadJwtException withHint(JwtException ex) {
		if (ex instanceof JwtValidationException invalid && invalid.getErrors()
			.stream()
			.anyMatch((error) -> error.getDescription() != null && error.getDescription().contains("expired"))) {
			return new BadJwtException(BearerTokenHints.EXPIRED, ex);
		}
		return new BadJwtException(BearerTokenHints.NOT_VERIFIED, ex);
	}

	/** Every token the gateway issues has both; one without them was not issued here. */
	private static OAuth2TokenValidatorResult requireExpiryAndId(Jwt jwt) {
		if (jwt.getExpiresAt() == null || jwt.getId() == null) {
			return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
					"The token has no " + ((jwt.getExpiresAt() == null) ? JwtClaimNames.EXP : JwtClaimNames.JTI), null));
		}
		return OAuth2TokenValidatorResult.success();
	}

}
