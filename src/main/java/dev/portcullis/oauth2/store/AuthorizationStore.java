package dev.portcullis.oauth2.store;

import java.time.Duration;
import java.time.Instant;

import dev.portcullis.oauth2.Authorization;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where grants ({@link Authorization}s) live from issue to expiry. Every write sets the record to expire with the
 * last token issued in it, so nothing grows without bound. Refresh tokens are known only by their SHA-256.
 */
public interface AuthorizationStore {

	/**
	 * Records a new authorization, or replaces the one with the same id (which keeps the memory of its rotated-out
	 * refresh tokens). Emits when it is stored; fails with {@link IllegalArgumentException} unless the id and the
	 * access token {@code jti} have the shape {@link TokenIds} describes.
	 */
	Mono<Void> save(Authorization authorization);

	/** The authorization with this id, or empty once it expired or was removed. */
	Mono<Authorization> findById(String authorizationId);

	/**
	 * The live authorizations issued to a client, newest first, read through an index kept on write (never a scan
	 * of the store).
	 */
	Flux<Authorization> findByClientId(String clientId);

	/** The live authorizations of a user, newest first, read through an index kept on write. */
	Flux<Authorization> findByUserId(String userId);

	/**
	 * One page of the live authorizations of a client, of a user, or of all (both {@code null}), the latest-expiring
	 * first. Read through the indexes kept on write: a page costs one range read and one lookup per item, however many
	 * authorizations there are.
	 */
	Flux<Authorization> findPage(@Nullable String clientId, @Nullable String userId, int offset, int limit);

	/** How many live authorizations the same selection as {@link #findPage} has. */
	Mono<Long> count(@Nullable String clientId, @Nullable String userId);

	/**
	 * Atomically swaps the refresh token whose hash is presented for the tokens in {@code rotated}, as one step:
	 * of any number of concurrent calls with the same presented hash, exactly one emits {@link RefreshOutcome#ROTATED}.
	 * On rotation the previous access token is revoked in the {@link RevocationStore}, and the presented hash is
	 * remembered for the rest of the authorization's life so that its reuse is detected: presented again later than
	 * {@code reuseGracePeriod} after its rotation, the whole authorization is removed and its current access token
	 * revoked ({@link RefreshOutcome#REUSED}); within the grace period it is only refused ({@link RefreshOutcome#STALE}).
	 * Fails with {@link IllegalArgumentException} when {@code rotated} is malformed, as {@link #save} does.
	 * @param rotated the authorization as it must be after the rotation (same id)
	 * @param presentedRefreshTokenHash the SHA-256 of the refresh token the client presented
	 * @param now the time of the request, to judge the grace period
	 */
	Mono<RefreshOutcome> rotate(Authorization rotated, String presentedRefreshTokenHash, Instant now,
			Duration reuseGracePeriod);

	/**
	 * Records a new authorization as {@link #save} does, then ends the live authorizations of its client and subject
	 * ({@link Authorization#subject()}) beyond the {@code keep} that expire last, as {@link #remove} does, so that
	 * however many are issued no client and subject hold more than {@code keep}; among authorizations that expire in
	 * the same second any may end. Reads an index kept on write (never a scan), and takes no more round trips to the
	 * store than the writes need: the token endpoint pays it on every token. Emits how many ended.
	 */
	Mono<Long> saveKeepingAtMost(Authorization authorization, int keep);

	/**
	 * Removes the authorization and revokes its current access token, so that neither the access nor the refresh
	 * token issued in it works any more (logout, revocation). Emits the removed authorization, or empty if none.
	 */
	Mono<Authorization> remove(String authorizationId);

}
