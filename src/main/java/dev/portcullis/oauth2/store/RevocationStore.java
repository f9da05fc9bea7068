package dev.portcullis.oauth2.store;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * Access tokens ended before their expiry, by {@code jti}. A token counts as ended when it was revoked here, or when
 * it is no longer the current token of a live grant in the {@link AuthorizationStore} this store is paired with
 * (the grant was refreshed, ended, or evicted by the cap on live grants): so a grant can be ended without an entry
 * to keep per token. An entry lives only until the token would have expired anyway, after which the signature check
 * refuses it by itself.
 */
public interface RevocationStore {

	/** Revokes the token; from then on {@link #isRevoked} answers true until {@code expiresAt}. */
	Mono<Void> revoke(String jti, Instant expiresAt);

	/**
	 * Whether the token was ended: revoked, or not the current token of a live grant (a {@code jti} Portcullis did
	 * not issue never is). Fails (never answers false) when the store cannot be asked.
	 */
	Mono<Boolean> isRevoked(String jti);

	/**
	 * Whether this store knows, without waiting for anything, that the token was not ended: when true,
	 * {@link #isRevoked} would answer false. False says nothing; ask {@link #isRevoked}.
	 */
	default boolean isKnownNotRevoked(String jti) {
		return false;
	}

}
