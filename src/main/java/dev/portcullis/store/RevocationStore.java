package dev.portcullis.store;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * Access tokens ended before their expiry, by {@code jti}. An entry lives only until the token would have expired
 * anyway, after which the signature check refuses it by itself.
 */
public interface RevocationStore {

	/** Revokes the token; from then on {@link #isRevoked} answers true until {@code expiresAt}. */
	Mono<Void> revoke(String jti, Instant expiresAt);

	/** Whether the token was revoked. Fails (never answers false) when the store cannot be asked. */
	Mono<Boolean> isRevoked(String jti);

}
