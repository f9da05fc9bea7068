package dev.portcullis.store;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisUserStore;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

@RequiresRedis
class RedisUserStoreITests extends AbstractUserStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisUserStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected UserStore createStore() {
		return new RedisUserStore(this.redis, this.keys, JsonMapper.builder().build());
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
