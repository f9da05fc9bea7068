package dev.portcullis.store.cluster;

import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.store.AbstractConsentStoreContractTests;
import dev.portcullis.store.redis.RedisConsentStore;
import tools.jackson.databind.json.JsonMapper;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The {@link AbstractConsentStoreContractTests} contract against the Redis store on a real 3-master Redis Cluster. */
@RequiresRedisCluster
class ClusterConsentStoreITests extends AbstractConsentStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	ClusterConsentStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected ConsentStore createStore() {
		return new RedisConsentStore(this.redis, this.keys, JsonMapper.builder().build());
	}

	@AfterEach
	void deleteKeys() {
		RedisClusterTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(java.time.Duration.ofSeconds(10));
	}

}
