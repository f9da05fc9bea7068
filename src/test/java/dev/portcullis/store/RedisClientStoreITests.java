package dev.portcullis.store;

import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.store.redis.RedisClientStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

@RequiresRedis
class RedisClientStoreITests extends AbstractClientStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisClientStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected ClientStore createStore() {
		return new RedisClientStore(this.redis, this.keys, JsonMapper.builder().build());
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
