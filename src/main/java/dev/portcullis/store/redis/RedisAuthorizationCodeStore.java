package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authorization codes in Redis: each code's JSON under its hash ({@link RedisKeys#code}), expiring with the code,
 * and once consumed a marker ({@link RedisKeys#codeUsed}) in the same slot. Consumption is one Lua script that
 * removes the code and sets the marker, so that of concurrent exchanges exactly one gets the code, on a cluster too.
 *
 * <p>The TTLs do the forgetting; {@link #consume} also compares the expiry with the {@link Clock}, so that no code is
 * handed out past its expiry while Redis has yet to evict it (such a code is still removed and marked used).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 */
public class RedisAuthorizationCodeStore implements AuthorizationCodeStore {

	private static final RedisScript<Long> INDEX_ADD = RedisScripts.load("index-add", Long.class);

	private static final RedisScript<String> CONSUME = RedisScripts.load("code-consume", String.class);

	/**
	 * How long a consumed code is remembered past its own expiry until the exchange records an authorization: a code
	 * replayed from a log or browser history a little later is still recognised as reuse.
	 */
	private static final Duration CONSUMED_RETENTION = Duration.ofDays(1);

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	private final Clock clock;

	public RedisAuthorizationCodeStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json,
			Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * {@inheritDoc}
	 * <p>A code that has expired already is not stored.
	 */
	@Override
	public Mono<Void> issue(String codeHash, AuthorizationCode code) {
		return Mono.fromCallable(() -> this.json.writeValueAsString(code)).flatMap((data) -> {
			long ttl = millisUntil(code.expiresAt());
			if (ttl <= 0) {
				return Mono.empty();
			}
			// the listing index is in another slot, so it is written by its own command
			return this.redis.opsForValue()
				.set(this.keys.code(codeHash), data, Duration.ofMillis(ttl))
				.then(this.redis.execute(INDEX_ADD, List.of(this.keys.codeIndex()),
						List.of(codeHash, String.valueOf(code.expiresAt().toEpochMilli()),
								String.valueOf(this.clock.millis())))
					.then());
		});
	}

	@Override
	public Mono<AuthorizationCode> consume(String codeHash) {
		List<String> scriptKeys = List.of(this.keys.code(codeHash), this.keys.codeUsed(codeHash));
		return this.redis.execute(CONSUME, scriptKeys, List.of(String.valueOf(CONSUMED_RETENTION.toMillis())))
			.next()
			.flatMap((data) -> this.redis.opsForZSet().remove(this.keys.codeIndex(), codeHash).thenReturn(data))
			.map(this::read)
			.filter((code) -> code.expiresAt().isAfter(this.clock.instant()));
	}

	@Override
	public Flux<PendingCode> findPending(int offset, int limit) {
		// @formatter:off
		return Flux.defer(() -> this.redis.opsForZSet()
				.reverseRangeByScore(this.keys.codeIndex(), Range.rightUnbounded(Range.Bound.exclusive((double) this.clock.millis())),
						Limit.limit().offset(offset).count(limit)))
			.flatMapSequential((hash) -> this.redis.opsForValue().get(this.keys.code(hash)).map((data) -> new PendingCode(hash, read(data))));
		// @formatter:on
	}

	@Override
	public Mono<Long> countPending() {
		return Mono.defer(() -> this.redis.opsForZSet()
			.count(this.keys.codeIndex(), Range.rightUnbounded(Range.Bound.exclusive((double) this.clock.millis()))));
	}

	/**
	 * {@inheritDoc}
	 * <p>An {@code until} that has passed records nothing: no token issued from the code is left to revoke, and the
	 * marker stays as it was.
	 */
	@Override
	public Mono<Void> recordExchange(String codeHash, String authorizationId, Instant until) {
		return Mono.defer(() -> {
			long ttl = millisUntil(until);
			if (ttl <= 0) {
				return Mono.empty();
			}
			return this.redis.opsForValue()
				.set(this.keys.codeUsed(codeHash), authorizationId, Duration.ofMillis(ttl))
				.then();
		});
	}

	@Override
	public Mono<String> findConsumed(String codeHash) {
		return this.redis.opsForValue().get(this.keys.codeUsed(codeHash));
	}

	/** Milliseconds from now until {@code instant}; not positive once it has passed (Redis refuses that as a TTL). */
	private long millisUntil(Instant instant) {
		return instant.toEpochMilli() - this.clock.millis();
	}

	private AuthorizationCode read(String data) {
		return this.json.readValue(data, AuthorizationCode.class);
	}

}
