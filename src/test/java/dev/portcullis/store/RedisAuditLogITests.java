package dev.portcullis.store;

import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.store.redis.RedisAuditLog;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

@RequiresRedis
class RedisAuditLogITests extends AbstractAuditLogContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisAuditLogITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected AuditLog createLog(int capacity) {
		return new RedisAuditLog(this.redis, this.keys, JsonMapper.builder().build(), capacity);
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
