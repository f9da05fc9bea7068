package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.portcullis.proxy.upstream.BackendToken;
import dev.portcullis.proxy.upstream.BackendTokenStore;
import dev.portcullis.support.SecretEncryption;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link BackendTokenStore} in Redis, shared by every replica: one string per credential
 * ({@link RedisKeys#backendToken}) that expires with its token, the token in it encrypted (AES-GCM, bound to the
 * credential's name), and a {@code SET NX PX} lock beside it.
 */
public class RedisBackendTokenStore implements BackendTokenStore {

	private static final RedisScript<Long> REMOVE = RedisScripts.load("backend-token-remove", Long.class);

	private static final RedisScript<Long> UNLOCK = RedisScripts.load("lock-release", Long.class);

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final SecretEncryption encryption;

	private final Clock clock;

	public RedisBackendTokenStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys,
			SecretEncryption encryption, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.encryption = encryption;
		this.clock = clock;
	}

	@Override
	public Mono<BackendToken> find(String credential) {
		return this.redis.opsForValue().get(this.keys.backendToken(credential)).map((value) -> {
			String[] parts = value.split(" ", 4);
			return new BackendToken(this.encryption.decrypt(parts[3], context(credential)),
					Instant.ofEpochMilli(Long.parseLong(parts[1])), Instant.ofEpochMilli(Long.parseLong(parts[2])));
		});
	}

	@Override
	public Mono<Void> save(String credential, BackendToken token) {
		Duration ttl = Duration.between(this.clock.instant(), token.expiresAt());
		if (ttl.toMillis() <= 0) {
			return Mono.empty();
		}
		String value = token.fingerprint() + " " + token.obtainedAt().toEpochMilli() + " "
				+ token.expiresAt().toEpochMilli() + " " + this.encryption.encrypt(token.value(), context(credential));
		return this.redis.opsForValue().set(this.keys.backendToken(credential), value, ttl).then();
	}

	@Override
	public Mono<Void> remove(String credential, String fingerprint) {
		return this.redis.execute(REMOVE, List.of(this.keys.backendToken(credential)), List.of(fingerprint)).then();
	}

	@Override
	public Mono<Boolean> lock(String credential, String owner, Duration timeout) {
		return this.redis.opsForValue().setIfAbsent(this.keys.backendTokenLock(credential), owner, timeout);
	}

	@Override
	public Mono<Void> unlock(String credential, String owner) {
		return this.redis.execute(UNLOCK, List.of(this.keys.backendTokenLock(credential)), List.of(owner)).then();
	}

	private static String context(String credential) {
		return "upstream credential " + credential;
	}

}
