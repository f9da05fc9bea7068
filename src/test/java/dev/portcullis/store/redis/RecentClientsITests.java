package dev.portcullis.store.redis;

import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The {@link AbstractRecentClientsTests} against a single Redis. */
@RequiresRedis
class RecentClientsITests extends AbstractRecentClientsTests {

	RecentClientsITests(ReactiveStringRedisTemplate redis) {
		super(redis);
	}

	@Override
	protected Mono<?> deleteNamespace(ReactiveStringRedisTemplate redis, String namespace) {
		return RedisTestSupport.deleteNamespace(redis, namespace);
	}

}
