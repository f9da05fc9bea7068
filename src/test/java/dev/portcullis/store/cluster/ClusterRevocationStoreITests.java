package dev.portcullis.store.cluster;

import java.time.Clock;

import dev.portcullis.store.AbstractRevocationStoreContractTests;
import dev.portcullis.store.RevocationStore;
import dev.portcullis.store.redis.LocalRevocationView;
import dev.portcullis.store.redis.RedisRevocationStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The {@link AbstractRevocationStoreContractTests} contract against the Redis store on a real 3-master Redis Cluster. */
@RequiresRedisCluster
class ClusterRevocationStoreITests extends AbstractRevocationStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	ClusterRevocationStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected RevocationStore createStore(Clock clock) {
		return new RedisRevocationStore(this.redis, this.keys, clock, LocalRevocationView.disabled());
	}

	@AfterEach
	void deleteKeys() {
		RedisClusterTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(java.time.Duration.ofSeconds(10));
	}

}
