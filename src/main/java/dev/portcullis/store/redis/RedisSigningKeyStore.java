package dev.portcullis.store.redis;

import java.util.List;

import dev.portcullis.oauth2.store.SigningKeyStore;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * The signing key in Redis, without a TTL: the first replica to start stores its candidate, every other one reads
 * it. One Lua script does the set-if-absent and the read, so two replicas starting together agree.
 */
public class RedisSigningKeyStore implements SigningKeyStore {

	private static final RedisScript<String> FIND_OR_CREATE = RedisScripts.load("signing-key", String.class);

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	public RedisSigningKeyStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public Mono<String> findOrCreate(String candidate) {
		return this.redis.execute(FIND_OR_CREATE, List.of(this.keys.signingKey()), List.of(candidate)).next();
	}

}
