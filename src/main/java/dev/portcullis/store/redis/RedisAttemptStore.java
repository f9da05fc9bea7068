package dev.portcullis.store.redis;

import java.time.Instant;
import java.util.List;

import dev.portcullis.oauth2.store.AttemptStore;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * {@link AttemptStore} in Redis: one hash per key ({@link RedisKeys#attempts}: {@code count}, {@code until}) that
 * expires a window after its last counted attempt; counting is one script, so concurrent attempts at any number of
 * replicas are counted one by one.
 */
public class RedisAttemptStore implements AttemptStore {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> RECORD = RedisScripts.load("attempt-record", List.class);

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	public RedisAttemptStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public Mono<AttemptCount> record(String key, AttemptRule rule, Instant now) {
		return Mono.defer(() -> this.redis
			.execute(RECORD, List.of(this.keys.attempts(key)),
					List.of(String.valueOf(now.toEpochMilli()), String.valueOf(rule.limit()),
							String.valueOf(rule.window().toMillis()), String.valueOf(rule.longestBlock().toMillis())))
			.next()
			.map((reply) -> new AttemptCount(number(reply, 0) == 1, number(reply, 1),
					Instant.ofEpochMilli(number(reply, 2)))));
	}

	@Override
	public Mono<AttemptCount> find(String key, Instant now) {
		return this.redis.<String, String>opsForHash()
			.multiGet(this.keys.attempts(key), List.of("count", "until"))
			.map((values) -> (values.get(0) == null) ? AttemptCount.NONE
					: new AttemptCount(true, Long.parseLong(values.get(0)),
							Instant.ofEpochMilli((long) Double.parseDouble(values.get(1)))));
	}

	@Override
	public Mono<Void> clear(String key) {
		return this.redis.delete(this.keys.attempts(key)).then();
	}

	private static long number(List<?> reply, int index) {
		return ((Number) reply.get(index)).longValue();
	}

}
