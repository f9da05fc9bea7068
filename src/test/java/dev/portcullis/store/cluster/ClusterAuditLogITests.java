package dev.portcullis.store.cluster;

import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.store.AbstractAuditLogContractTests;
import dev.portcullis.store.redis.RedisAuditLog;
import tools.jackson.databind.json.JsonMapper;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The {@link AbstractAuditLogContractTests} contract against the Redis store on a real 3-master Redis Cluster. */
@RequiresRedisCluster
class ClusterAuditLogITests extends AbstractAuditLogContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	ClusterAuditLogITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected AuditLog createLog(int capacity) {
		return new RedisAuditLog(this.redis, this.keys, JsonMapper.builder().build(), capacity);
	}

	@AfterEach
	void deleteKeys() {
		RedisClusterTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(java.time.Duration.ofSeconds(10));
	}

}
