package dev.portcullis.proxy;

import java.security.Key;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.JWKSecurityContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import dev.portcullis.oauth2.store.RevocationStore;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.JwsCrypto;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.SigningKey;
import dev.portcullis.support.Ed25519Keys;
import dev.portcullis.support.StoreFailures;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JoseHeaderNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Checks a bearer token as the gateway issued it: the signature with the key its {@code kid} names among the keys in
 * use ({@link CurrentSigningKeys}: never fetched over the network), the algorithm pinned to that key's (no
 * {@code none}, no HS256 made with the public key),
 * {@code exp}/{@code nbf} with the configured clock skew, {@code iss}, and a {@code jti}; then asks the
 * {@link RevocationStore} whether the token was ended early (refresh rotation, logout, reuse detection, an admin).
 *
 * <p>Only the canonical spelling of a compact JWS is read ({@link CompactJws}), so a token's text is unique to it.
 * A token that verified once is remembered (by that text) until it expires, so the signature and claims are not
 * checked again on every request, though its key is (a key retired at once ends its tokens here, and what is
 * remembered of them is forgotten when the keys change); the revocation store is asked on every request (with Redis, the replica's
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

	private final CurrentSigningKeys keys;

	private final RevocationStore revocations;

	private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

	private final Duration clockSkew;

	private final Clock clock;

	/**
	 * @param issuers the "iss" values accepted: the one new tokens carry, and an earlier one whose tokens may still
	 * be live
	 */
	public RevocationCheckingJwtDecoder(CurrentSigningKeys keys, Set<String> issuers, Duration clockSkew,
			RevocationStore revocations, Clock clock) {
		Set<String> accepted = Set.copyOf(issuers);
		// @formatter:off
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			// the one key the token's kid names among the keys in use now, and only for the algorithm bound to it
			.withJwkSource((jwt) -> Mono.justOrEmpty(keys.current().verificationKey(jwt.getHeader().getKeyID(),
							jwt.getHeader().getAlgorithm(), clock.instant()))
					.map(SigningKey::publicKey)
					.flux())
			// Spring's builder takes one algorithm and Nimbus's EdDSA needs Tink: the processor's key selection and
			// verifiers are the gateway's own, for the algorithms it signs with, each key for its bound algorithm only
			.jwtProcessorCustomizer((processor) -> {
				processor.setJWSKeySelector(RevocationCheckingJwtDecoder::keysOfTheSource);
				processor.setJWSVerifierFactory(new BoundAlgorithmVerifiers());
			})
			.build();
		// @formatter:on
		JwtTimestampValidator timestamps = new JwtTimestampValidator(clockSkew);
		timestamps.setClock(clock);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps,
				new JwtClaimValidator<String>(JwtClaimNames.ISS, (issuer) -> issuer != null && accepted.contains(issuer)),
				RevocationCheckingJwtDecoder::requireExpiryAndId));
		this.signatureAndClaims = decoder;
		this.keys = keys;
		this.revocations = revocations;
		this.clockSkew = clockSkew;
		this.clock = clock;
		// a key retired at once (compromised) or expired: what this replica remembers of its tokens goes with it
		keys.onChange((snapshot) -> {
			Instant now = clock.instant();
			this.verified.values().removeIf((jwt) -> !snapshot.accepts(keyId(jwt), now));
		});
	}

	/**
	 * The keys the source found for the token (at most one: the key its {@code kid} names, bound to its {@code alg}),
	 * as JDK keys; none for an algorithm the gateway does not sign with.
	 */
	private static List<Key> keysOfTheSource(JWSHeader header, JWKSecurityContext context) throws KeySourceException {
		if (SigningAlgorithm.of(header.getAlgorithm()) == null) {
			return List.of();
		}
		List<Key> keys = new ArrayList<>();
		for (JWK jwk : context.getKeys()) {
			try {
				keys.add((jwk instanceof OctetKeyPair okp) ? Ed25519Keys.publicKey(okp) : ((RSAKey) jwk).toRSAPublicKey());
			}
			catch (JOSEException | ClassCastException ex) {
				throw new KeySourceException("Unusable signing key " + jwk.getKeyID(), ex);
			}
		}
		return keys;
	}

	/** Verifiers of the header's algorithm with the selected key; an error when they do not belong together. */
	private static final class BoundAlgorithmVerifiers implements JWSVerifierFactory {

		private final JCAContext context = new JCAContext();

		@Override
		public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
			if (!(key instanceof PublicKey publicKey)) {
				throw new JOSEException("Not a public key");
			}
			return JwsCrypto.verifier(header.getAlgorithm(), publicKey);
		}

		@Override
		public Set<JWSAlgorithm> supportedJWSAlgorithms() {
			return Set.of(JWSAlgorithm.RS256, JWSAlgorithm.EdDSA);
		}

		@Override
		public JCAContext getJCAContext() {
			return this.context;
		}

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

	/**
	 * The token's claims when every check {@link #decode} makes can be answered at once: its signature was verified
	 * before, its key is still accepted, it has not expired, and the revocation store knows it was not ended. Null
	 * otherwise, saying nothing about the token: {@link #decode} then answers, with its reasons.
	 */
	public @Nullable Jwt decodeIfKnownGood(String token) {
		Jwt cached = this.verified.get(token);
		if (cached == null) {
			return null;
		}
		Instant now = this.clock.instant();
		boolean good = this.keys.current().accepts(keyId(cached), now)
				&& now.minus(this.clockSkew).isBefore(cached.getExpiresAt())
				&& this.revocations.isKnownNotRevoked(cached.getId());
		return good ? cached : null;
	}

	private Mono<Jwt> verified(String token) {
		Jwt cached = this.verified.get(token);
		if (cached != null) {
			Instant now = this.clock.instant();
			if (!this.keys.current().accepts(keyId(cached), now)) {
				// its key was retired at once (compromised) after the token was remembered
				this.verified.remove(token);
				return Mono.error(new BadJwtException(BearerTokenHints.NOT_VERIFIED));
			}
			if (now.minus(this.clockSkew).isBefore(cached.getExpiresAt())) {
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

	private static @Nullable String keyId(Jwt jwt) {
		return (jwt.getHeaders().get(JoseHeaderNames.KID) instanceof String kid) ? kid : null;
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
