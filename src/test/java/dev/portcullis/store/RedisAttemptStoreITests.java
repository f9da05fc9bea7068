package dev.portcullis.store;

import dev.portcullis.oauth2.store.AttemptStore;
import dev.portcullis.store.redis.RedisAttemptStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

@RequiresRedis
class RedisAttemptStoreITests extends AbstractAttemptStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisAttemptStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected AttemptStore createStore() {
		return new RedisAttemptStore(this.redis, this.keys);
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
