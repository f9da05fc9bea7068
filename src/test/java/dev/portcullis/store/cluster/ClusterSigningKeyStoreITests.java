package dev.portcullis.store.cluster;

import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.store.AbstractSigningKeyStoreContractTests;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisSigningKeyStore;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The {@link AbstractSigningKeyStoreContractTests} contract against the Redis store on a real 3-master Redis Cluster. */
@RequiresRedisCluster
class ClusterSigningKeyStoreITests extends AbstractSigningKeyStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	ClusterSigningKeyStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected SigningKeyStore createStore() {
		return new RedisSigningKeyStore(this.redis, this.keys, tools.jackson.databind.json.JsonMapper.builder().build(),
				new dev.portcullis.support.SecretEncryption("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", java.util.List.of()),
				java.time.Clock.systemUTC());
	}

	@AfterEach
	void deleteKeys() {
		RedisClusterTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(java.time.Duration.ofSeconds(10));
	}

}
