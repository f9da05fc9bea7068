package dev.portcullis.store.cluster;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.store.AbstractUserStoreContractTests;
import dev.portcullis.store.redis.RedisUserStore;
import tools.jackson.databind.json.JsonMapper;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The {@link AbstractUserStoreContractTests} contract against the Redis store on a real 3-master Redis Cluster. */
@RequiresRedisCluster
class ClusterUserStoreITests extends AbstractUserStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	ClusterUserStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected UserStore createStore() {
		return new RedisUserStore(this.redis, this.keys, JsonMapper.builder().build());
	}

	@AfterEach
	void deleteKeys() {
		RedisClusterTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(java.time.Duration.ofSeconds(10));
	}

}
