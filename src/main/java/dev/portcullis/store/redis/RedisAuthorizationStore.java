package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.RefreshOutcome;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.support.SecureIds;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authorizations in Redis. Each lives in a hash ({@code data}: the JSON; {@code rt}: the current refresh token hash;
 * {@code jti} and {@code aexp}: the current access token and its expiry) that expires with the last token issued in
 * it, next to a hash of its rotated-out refresh tokens and a hash of its revoked access tokens. The three share the
 * authorization id as hash tag, so that rotation, reuse detection and removal are each one Lua script, atomic on a
 * cluster too. Access token revocations are written in the layout {@link RedisRevocationStore} reads.
 *
 * <p>Listings by client and by user, and the cap per client and subject, read sorted sets of ids scored by expiry,
 * kept on write. They live in other
 * slots than the authorizations, so they are written by separate commands: the index before the authorization on
 * save (a listed id whose authorization is missing is skipped on read), after the script on rotation.
 *
 * <p>The TTLs do the forgetting; reads also compare expiries with the {@link Clock}, so that nothing is answered
 * past its expiry while Redis has yet to evict it.
 */
public class RedisAuthorizationStore implements AuthorizationStore {

	private static final RedisScript<Long> SAVE = RedisScripts.load("authorization-save", Long.class);

	private static final RedisScript<String> ROTATE = RedisScripts.load("authorization-rotate", String.class);

	private static final RedisScript<String> REMOVE = RedisScripts.load("authorization-remove", String.class);

	private static final RedisScript<Long> INDEX_ADD = RedisScripts.load("index-add", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> INDEX_ADD_CAPPED = RedisScripts.load("index-add-capped", List.class);

	private static final RedisScript<Long> EVICT = RedisScripts.load("authorization-evict", Long.class);

	private static final String DATA = "data";

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	private final Clock clock;

	private final LocalRevocationView revocationView;

	/**
	 * @param revocationView told of the revocations this store makes as soon as Redis has made them, so that this
	 * replica refuses the token at once rather than when the announcement comes back
	 */
	public RedisAuthorizationStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json,
			Clock clock, LocalRevocationView revocationView) {
		this.redis = redis;
		this.keys = keys;
		this.json = json;
		this.clock = clock;
		this.revocationView = revocationView;
	}

	/**
	 * {@inheritDoc}
	 * @throws IllegalArgumentException (as an error signal) unless the id and jti have the shape of
	 * {@link TokenIds}, on which the placement of revocations depends
	 */
	@Override
	public Mono<Void> save(Authorization authorization) {
		return Mono.fromCallable(() -> this.json.writeValueAsString(TokenIds.requireWellFormed(authorization)))
			.flatMap((data) -> {
				Instant now = this.clock.instant();
				// both sent at once on the shared connection (the index first, as before): one round trip
				return Mono.when(index(authorization, now), store(authorization, data, now));
			});
	}

	/**
	 * The indexes, the cap and the authorization are written at once (the subject's index listing the new id and
	 * trimming itself in one script), one round trip; the authorizations beyond the cap are then evicted at once,
	 * another. Each write goes to its own slot, so this holds on a cluster too.
	 */
	@Override
	public Mono<Long> saveKeepingAtMost(Authorization authorization, int keep) {
		// @formatter:off
		return Mono.fromCallable(() -> this.json.writeValueAsString(TokenIds.requireWellFormed(authorization)))
			.flatMap((data) -> {
				Instant now = this.clock.instant();
				String subjectIndex = this.keys.subjectIndex(authorization.clientId(), authorization.subject());
				Mono<List<String>> beyond = this.redis
					.execute(INDEX_ADD_CAPPED, List.of(subjectIndex), List.of(authorization.id(),
							millis(authorization.expiresAt()), millis(now), String.valueOf(keep)))
					.next()
					.map(RedisAuthorizationStore::ids)
					// never empty: zip would then cancel the writes' answers and emit before they are made
					.defaultIfEmpty(List.of());
				Mono<Void> listedAndStored = Mono.when(index(authorization, now, indexKeysBesidesSubject(authorization)),
						store(authorization, data, now));
				return Mono.zip(beyond, listedAndStored.thenReturn(true), (ids, stored) -> ids);
			})
			.flatMapMany(Flux::fromIterable)
			.flatMap((id) -> evict(id, authorization).thenReturn(id))
			.count();
		// @formatter:on
	}

	private Mono<Long> store(Authorization authorization, String data, Instant now) {
		String id = authorization.id();
		List<String> args = List.of(data, refreshTokenHash(authorization), authorization.accessTokenJti(),
				millis(authorization.accessTokenExpiresAt()), ttl(authorization, now));
		return this.redis.execute(SAVE, List.of(this.keys.authorization(id), this.keys.rotatedOut(id)), args).next();
	}

	private static List<String> ids(List<?> values) {
		return values.stream().map(String.class::cast).toList();
	}

	@Override
	public Mono<Authorization> findById(String authorizationId) {
		if (!isAuthorizationId(authorizationId)) {
			return Mono.empty();
		}
		return this.redis.<String, String>opsForHash()
			.get(this.keys.authorization(authorizationId), DATA)
			.map(this::read)
			.filter(this::isLive);
	}

	@Override
	public Flux<Authorization> findByClientId(String clientId) {
		return findListed(this.keys.clientIndex(clientId));
	}

	@Override
	public Flux<Authorization> findByUserId(String userId) {
		return findListed(this.keys.userIndex(userId));
	}

	@Override
	public Mono<RefreshOutcome> rotate(Authorization rotated, String presentedRefreshTokenHash, Instant now,
			Duration reuseGracePeriod) {
		// @formatter:off
		return Mono.fromCallable(() -> this.json.writeValueAsString(TokenIds.requireWellFormed(rotated)))
			.flatMap((data) -> {
				String id = rotated.id();
				List<String> scriptKeys = List.of(this.keys.authorization(id), this.keys.rotatedOut(id),
						this.keys.revokedIn(id));
				List<String> args = List.of(presentedRefreshTokenHash, millis(now),
						String.valueOf(reuseGracePeriod.toMillis()), refreshTokenHash(rotated),
						rotated.accessTokenJti(), millis(rotated.accessTokenExpiresAt()), data, ttl(rotated, now),
						this.keys.revocationsChannel());
				return this.redis.execute(ROTATE, scriptKeys, args)
					.next()
					.doOnNext((outcome) -> this.revocationView.forgetAuthorization(id));
			})
			.map(RefreshOutcome::valueOf)
			.flatMap((outcome) -> switch (outcome) {
				case ROTATED -> index(rotated, now).thenReturn(outcome);
				case REUSED -> unindex(rotated).thenReturn(outcome);
				default -> Mono.just(outcome);
			});
		// @formatter:on
	}

	@Override
	public Mono<Authorization> remove(String authorizationId) {
		if (!isAuthorizationId(authorizationId)) {
			return Mono.empty();
		}
		List<String> scriptKeys = List.of(this.keys.authorization(authorizationId),
				this.keys.rotatedOut(authorizationId), this.keys.revokedIn(authorizationId));
		// @formatter:off
		return Mono.defer(() -> this.redis
				.execute(REMOVE, scriptKeys, List.of(millis(this.clock.instant()), this.keys.revocationsChannel()))
				.next()
				.doOnNext((removed) -> this.revocationView.forgetAuthorization(authorizationId)))
			.map(this::read)
			.flatMap((removed) -> unindex(removed).thenReturn(removed))
			.filter(this::isLive);
		// @formatter:on
	}

	/**
	 * Ends an authorization evicted by the cap: deleted, its access token refused as no longer current, but no
	 * revocation entry written, so that a client asking for a token per call keeps the store's size flat. It shares
	 * its client and subject with {@code kept}, so its indexes are known without reading it, and all are written at
	 * once: the subject's user index is cleared whether or not it has a user (there is nothing to remove when not).
	 */
	private Mono<Void> evict(String authorizationId, Authorization kept) {
		// @formatter:off
		Mono<Long> evicted = this.redis
				.execute(EVICT, List.of(this.keys.authorization(authorizationId), this.keys.rotatedOut(authorizationId)),
						List.of(millis(this.clock.instant()), this.keys.revocationsChannel()))
				.next()
				.doOnNext((removed) -> this.revocationView.forgetAuthorization(authorizationId));
		return Mono.when(evicted, Flux.just(this.keys.allIndex(), this.keys.clientIndex(kept.clientId()),
						this.keys.userIndex(kept.subject()))
				.flatMap((indexKey) -> this.redis.opsForZSet().remove(indexKey, authorizationId)));
		// @formatter:on
	}

	@Override
	public Flux<Authorization> findPage(@Nullable String clientId, @Nullable String userId, int offset, int limit) {
		String indexKey = indexKey(clientId, userId);
		// @formatter:off
		return Flux.defer(() -> this.redis.opsForZSet()
				.reverseRangeByScore(indexKey, Range.rightUnbounded(Range.Bound.exclusive((double) this.clock.millis())),
						Limit.limit().offset(offset).count(limit)))
			.flatMapSequential((id) -> this.redis.<String, String>opsForHash().get(this.keys.authorization(id), DATA))
			.map(this::read)
			.filter(this::isLive)
			.filter((authorization) -> userId == null || userId.equals(authorization.userId()));
		// @formatter:on
	}

	@Override
	public Mono<Long> count(@Nullable String clientId, @Nullable String userId) {
		return Mono.defer(() -> this.redis.opsForZSet()
			.count(indexKey(clientId, userId), Range.rightUnbounded(Range.Bound.exclusive((double) this.clock.millis()))));
	}

	/** The index that answers the selection: the client's, else the user's, else the one of all. */
	private String indexKey(@Nullable String clientId, @Nullable String userId) {
		if (clientId != null) {
			return this.keys.clientIndex(clientId);
		}
		return (userId != null) ? this.keys.userIndex(userId) : this.keys.allIndex();
	}

	/** The live authorizations listed in an index, newest first; ids whose authorization is gone are skipped. */
	private Flux<Authorization> findListed(String indexKey) {
		// @formatter:off
		return Flux.defer(() -> this.redis.opsForZSet()
				.rangeByScore(indexKey, Range.rightUnbounded(Range.Bound.exclusive((double) this.clock.millis()))))
			.flatMap((id) -> this.redis.<String, String>opsForHash().get(this.keys.authorization(id), DATA))
			.map(this::read)
			.filter(this::isLive)
			.sort(Comparator.comparing(Authorization::accessTokenIssuedAt).reversed());
		// @formatter:on
	}

	/** Lists the authorization under its client and its user, scored by its expiry. */
	private Mono<Void> index(Authorization authorization, Instant now) {
		return index(authorization, now, indexKeys(authorization));
	}

	private Mono<Void> index(Authorization authorization, Instant now, List<String> indexKeys) {
		List<String> args = List.of(authorization.id(), millis(authorization.expiresAt()), millis(now));
		return Flux.fromIterable(indexKeys)
			.flatMap((indexKey) -> this.redis.execute(INDEX_ADD, List.of(indexKey), args))
			.then();
	}

	private Mono<Void> unindex(Authorization authorization) {
		return Flux.fromIterable(indexKeys(authorization))
			.flatMap((indexKey) -> this.redis.opsForZSet().remove(indexKey, authorization.id()))
			.then();
	}

	private List<String> indexKeys(Authorization authorization) {
		List<String> indexKeys = new ArrayList<>(indexKeysBesidesSubject(authorization));
		indexKeys.add(this.keys.subjectIndex(authorization.clientId(), authorization.subject()));
		return indexKeys;
	}

	/** Every index the authorization is listed in but the one of its client and subject. */
	private List<String> indexKeysBesidesSubject(Authorization authorization) {
		String userId = authorization.userId();
		return (userId != null)
				? List.of(this.keys.allIndex(), this.keys.clientIndex(authorization.clientId()), this.keys.userIndex(userId))
				: List.of(this.keys.allIndex(), this.keys.clientIndex(authorization.clientId()));
	}

	private boolean isLive(Authorization authorization) {
		return authorization.expiresAt().isAfter(this.clock.instant());
	}

	private Authorization read(String data) {
		return this.json.readValue(data, Authorization.class);
	}

	/** An id that is not 32 hex characters was never issued: answer without asking Redis, under a foreign tag. */
	private static boolean isAuthorizationId(String authorizationId) {
		return TokenIds.isAuthorizationId(authorizationId);
	}

	private static String refreshTokenHash(Authorization authorization) {
		return Objects.requireNonNullElse(authorization.refreshTokenHash(), "");
	}

	/** Milliseconds until nothing issued in the authorization works; not positive makes Redis drop the keys. */
	private static String ttl(Authorization authorization, Instant now) {
		return String.valueOf(authorization.expiresAt().toEpochMilli() - now.toEpochMilli());
	}

	private static String millis(Instant instant) {
		return String.valueOf(instant.toEpochMilli());
	}

}
