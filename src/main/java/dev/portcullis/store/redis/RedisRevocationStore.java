package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.portcullis.oauth2.store.RevocationStore;
import dev.portcullis.oauth2.token.TokenIds;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Revoked access tokens in Redis: one hash per authorization ({@link RedisKeys#revoked}), {@code jti} to expiry,
 * that lives until its last entry's token would have expired. A token is also ended once it is no longer the
 * current token of its authorization ({@link RedisAuthorizationStore}): refreshed, ended or evicted. Each revocation is also published on
 * {@link RedisKeys#revocationsChannel()} as {@code <jti> <epoch ms>}, which {@link RevocationEvents} receives on
 * every replica: it ends what the replica's {@link LocalRevocationView} remembers, and times the announcement.
 */
public class RedisRevocationStore implements RevocationStore {

	private static final RedisScript<Long> REVOKE = RedisScripts.load("revoke", Long.class);

	private static final RedisScript<Long> TOKEN_REVOKED = RedisScripts.load("token-revoked", Long.class);

	private static final Mono<Boolean> NOT_REVOKED = Mono.just(false);

	private static final Mono<Boolean> REVOKED = Mono.just(true);

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final Clock clock;

	private final LocalRevocationView view;

	public RedisRevocationStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, Clock clock,
			LocalRevocationView view) {
		this.redis = redis;
		this.keys = keys;
		this.clock = clock;
		this.view = view;
	}

	@Override
	public Mono<Void> revoke(String jti, Instant expiresAt) {
		return Mono.defer(() -> this.redis
			.execute(REVOKE, List.of(this.keys.revoked(jti)), List.of(jti, String.valueOf(expiresAt.toEpochMilli()),
					String.valueOf(this.clock.millis()), this.keys.revocationsChannel()))
			.then(Mono.fromRunnable(() -> this.view.announced(jti))));
	}

	/**
	 * {@inheritDoc}
	 * <p>Fails closed: a Redis error is passed on as an error, never turned into "not revoked", so that an outage
	 * refuses tokens rather than letting revoked ones through. A token is not revoked only while it is the current
	 * token of its authorization and no revocation entry for it is live: one script reads both (same hash tag). A
	 * {@code jti} that Portcullis did not issue belongs to no authorization and is always revoked. A "not revoked"
	 * that this replica's {@link LocalRevocationView} still trusts is answered without asking Redis.
	 */
	@Override
	public Mono<Boolean> isRevoked(String jti) {
		if (!TokenIds.isIssuedJti(jti)) {
			return REVOKED;
		}
		if (isKnownNotRevoked(jti)) {
			return NOT_REVOKED;
		}
		long lookupStarted = this.view.lookupStarted();
		String authorizationId = TokenIds.authorizationIdOf(jti);
		return this.redis
			.execute(TOKEN_REVOKED, List.of(this.keys.revokedIn(authorizationId), this.keys.authorization(authorizationId)),
					List.of(jti, String.valueOf(this.clock.millis())))
			.next()
			.map((ended) -> ended == 1L)
			.doOnNext((revoked) -> {
				if (!revoked) {
					this.view.rememberNotRevoked(jti, lookupStarted);
				}
			});
	}

	/** A "not revoked" that this replica's {@link LocalRevocationView} still trusts: {@link #isRevoked} answers it too. */
	@Override
	public boolean isKnownNotRevoked(String jti) {
		return TokenIds.isIssuedJti(jti) && this.view.isKnownNotRevoked(jti);
	}

}
