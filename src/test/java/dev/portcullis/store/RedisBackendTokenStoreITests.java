package dev.portcullis.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.portcullis.proxy.upstream.BackendToken;
import dev.portcullis.store.redis.RedisBackendTokenStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.MutableClock;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.SecretEncryption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RedisBackendTokenStore} on a real Redis: what is kept there, and the fetch lock. */
@RequiresRedis
class RedisBackendTokenStoreITests {

	private static final String KEY = "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=";

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	private final MutableClock clock = new MutableClock(Instant.now());

	private final RedisBackendTokenStore store;

	RedisBackendTokenStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
		this.store = new RedisBackendTokenStore(redis, this.keys, new SecretEncryption(KEY, List.of()), this.clock);
	}

	@AfterEach
	void deleteNamespace() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(Duration.ofSeconds(10));
	}

	@Test
	void saveThenKeptEncryptedUntilItExpiresAndFoundAgain() {
		BackendToken token = token("the-backend-token");

		this.store.save("crm", token).block(Duration.ofSeconds(10));

		String kept = this.redis.opsForValue().get(this.keys.backendToken("crm")).block(Duration.ofSeconds(10));
		assertThat(kept).doesNotContain("the-backend-token").contains("enc:v1:");
		Duration ttl = this.redis.getExpire(this.keys.backendToken("crm")).block(Duration.ofSeconds(10));
		assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
		StepVerifier.create(this.store.find("crm")).expectNext(token).verifyComplete();
		StepVerifier.create(this.store.find("other")).verifyComplete();
	}

	@Test
	void saveWhenCopiedToAnotherCredentialThenItDoesNotDecryptThere() {
		this.store.save("crm", token("the-backend-token")).block(Duration.ofSeconds(10));
		String kept = this.redis.opsForValue().get(this.keys.backendToken("crm")).block(Duration.ofSeconds(10));
		this.redis.opsForValue().set(this.keys.backendToken("other"), kept).block(Duration.ofSeconds(10));

		StepVerifier.create(this.store.find("other")).expectError(IllegalArgumentException.class).verify();
	}

	@Test
	void removeWhenAnotherTokenWasSavedSinceThenTheNewOneStays() {
		BackendToken old = token("old");
		BackendToken fresh = token("fresh");
		this.store.save("crm", fresh).block(Duration.ofSeconds(10));

		this.store.remove("crm", old.fingerprint()).block(Duration.ofSeconds(10));
		StepVerifier.create(this.store.find("crm")).expectNext(fresh).verifyComplete();

		this.store.remove("crm", fresh.fingerprint()).block(Duration.ofSeconds(10));
		StepVerifier.create(this.store.find("crm")).verifyComplete();
	}

	@Test
	void lockWhenHeldByAnotherReplicaThenRefusedUntilReleased() {
		StepVerifier.create(this.store.lock("crm", "replica-a", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
		StepVerifier.create(this.store.lock("crm", "replica-b", Duration.ofSeconds(10))).expectNext(false).verifyComplete();

		this.store.unlock("crm", "replica-b").block(Duration.ofSeconds(10));
		StepVerifier.create(this.store.lock("crm", "replica-b", Duration.ofSeconds(10)))
			.as("only its owner releases a lock")
			.expectNext(false)
			.verifyComplete();

		this.store.unlock("crm", "replica-a").block(Duration.ofSeconds(10));
		StepVerifier.create(this.store.lock("crm", "replica-b", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
	}

	private BackendToken token(String value) {
		Instant now = this.clock.instant();
		return new BackendToken(value, now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
				now.plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
	}

}
