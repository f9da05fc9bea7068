package dev.portcullis.store.cluster;

import java.time.Clock;

import dev.portcullis.store.AbstractRevocationStoreContractTests;
import dev.portcullis.store.AbstractAuthorizationStoreContractTests;
import dev.portcullis.store.redis.LocalRevocationView;
import dev.portcullis.store.redis.RedisAuthorizationStore;
import dev.portcullis.store.redis.RedisRevocationStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The {@link AbstractRevocationStoreContractTests} contract against the Redis store on a real 3-master Redis Cluster. */
@RequiresRedisCluster
class ClusterRevocationStoreITests extends AbstractRevocationStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	ClusterRevocationStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected AbstractAuthorizationStoreContractTests.Stores createStores(Clock clock) {
		LocalRevocationView view = LocalRevocationView.disabled();
		return new AbstractAuthorizationStoreContractTests.Stores(
				new RedisAuthorizationStore(this.redis, this.keys, JsonMapper.builder().build(), clock, view),
				new RedisRevocationStore(this.redis, this.keys, clock, view));
	}

	@AfterEach
	void deleteKeys() {
		RedisClusterTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(java.time.Duration.ofSeconds(10));
	}

}
