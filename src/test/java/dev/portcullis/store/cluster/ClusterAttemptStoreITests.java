package dev.portcullis.store.cluster;

import dev.portcullis.oauth2.store.AttemptStore;
import dev.portcullis.store.AbstractAttemptStoreContractTests;
import dev.portcullis.store.redis.RedisAttemptStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The {@link AbstractAttemptStoreContractTests} contract against the Redis store on a real 3-master Redis Cluster. */
@RequiresRedisCluster
class ClusterAttemptStoreITests extends AbstractAttemptStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	ClusterAttemptStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected AttemptStore createStore() {
		return new RedisAttemptStore(this.redis, this.keys);
	}

	@AfterEach
	void deleteKeys() {
		RedisClusterTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(java.time.Duration.ofSeconds(10));
	}

}
