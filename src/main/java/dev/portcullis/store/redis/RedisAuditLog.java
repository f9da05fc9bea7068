package dev.portcullis.store.redis;

import java.util.List;

import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.store.AuditLog;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log in Redis: one list of event JSON, newest first, without a TTL. A Lua script pushes an event and
 * trims the list to the capacity in one step, so that the list never grows past it.
 */
public class RedisAuditLog implements AuditLog {

	private static final RedisScript<Long> APPEND = RedisScripts.load("audit-append", Long.class);

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	private final int capacity;

	/**
	 * @param capacity the number of events kept, {@link AuditLog#CAPACITY} but in tests
	 */
	public RedisAuditLog(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json,
			int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("The capacity must be positive: " + capacity);
		}
		this.redis = redis;
		this.keys = keys;
		this.json = json;
		this.capacity = capacity;
	}

	@Override
	public Mono<Void> append(AuditEvent event) {
		return Mono.fromCallable(() -> this.json.writeValueAsString(event))
			.flatMap((data) -> this.redis
				.execute(APPEND, List.of(this.keys.auditLog()), List.of(data, Integer.toString(this.capacity)))
				.then());
	}

	@Override
	public Flux<AuditEvent> recent(int offset, int limit) {
		if (offset < 0 || limit < 0) {
			return Flux.error(new IllegalArgumentException("Negative offset or limit: " + offset + ", " + limit));
		}
		if (limit == 0) {
			// LRANGE 0 -1 would be the whole list
			return Flux.empty();
		}
		// long: offset + limit may overflow an int
		return this.redis.opsForList()
			.range(this.keys.auditLog(), offset, (long) offset + limit - 1)
			.map((data) -> this.json.readValue(data, AuditEvent.class));
	}

	@Override
	public Mono<Long> count() {
		return this.redis.opsForList().size(this.keys.auditLog());
	}

}
