package dev.portcullis.store;

import dev.portcullis.oauth2.store.ConsentStore;
import java.time.Duration;

import dev.portcullis.fixtures.TestConsents;
import dev.portcullis.store.redis.RedisConsentStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wires the Redis store into the contract, and checks what only Redis has: consents never expire, and a user's last
 * withdrawn consent leaves no key behind.
 */
@RequiresRedis
class RedisConsentStoreITests extends AbstractConsentStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisConsentStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected ConsentStore createStore() {
		return new RedisConsentStore(this.redis, this.keys, JsonMapper.builder().build());
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	@Test
	void saveThenConsentsHaveNoTtl() {
		save(TestConsents.consent(NOW).build());

		// PTTL -1: no TTL
		assertThat(this.redis.getExpire(this.keys.consent("user-1")).block(TIMEOUT)).isEqualTo(Duration.ZERO);
	}

	@Test
	void revokeWhenLastConsentOfUserThenKeyGone() {
		save(TestConsents.consent(NOW).build());

		this.store.revoke("public-client-1", "user-1").block(TIMEOUT);

		assertThat(this.redis.hasKey(this.keys.consent("user-1")).block(TIMEOUT)).isFalse();
	}

}
