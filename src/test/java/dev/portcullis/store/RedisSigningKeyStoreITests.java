package dev.portcullis.store;

import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisSigningKeyStore;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

@RequiresRedis
class RedisSigningKeyStoreITests extends AbstractSigningKeyStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisSigningKeyStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected SigningKeyStore createStore() {
		return new RedisSigningKeyStore(this.redis, this.keys);
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
