package dev.portcullis.store.cluster;

import java.time.Clock;

import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.store.AbstractAuthorizationCodeStoreContractTests;
import dev.portcullis.store.redis.RedisAuthorizationCodeStore;
import tools.jackson.databind.json.JsonMapper;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The {@link AbstractAuthorizationCodeStoreContractTests} contract against the Redis store on a real 3-master Redis Cluster. */
@RequiresRedisCluster
class ClusterAuthorizationCodeStoreITests extends AbstractAuthorizationCodeStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	ClusterAuthorizationCodeStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected AuthorizationCodeStore createStore(Clock clock) {
		return new RedisAuthorizationCodeStore(this.redis, this.keys, JsonMapper.builder().build(), clock);
	}

	@AfterEach
	void deleteKeys() {
		RedisClusterTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(java.time.Duration.ofSeconds(10));
	}

}
