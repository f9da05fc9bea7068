package dev.portcullis.store.cluster;

import dev.portcullis.store.redis.AbstractLocalRevocationViewTests;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The {@link AbstractLocalRevocationViewTests} on a real 3-master Redis Cluster: the announcements are published on
 * whichever master holds the grant and reach the replica's pub/sub connection to one node.
 */
@RequiresRedisCluster
class ClusterLocalRevocationViewITests extends AbstractLocalRevocationViewTests {

	ClusterLocalRevocationViewITests(ReactiveStringRedisTemplate redis) {
		super(redis);
	}

	@Override
	protected Mono<?> deleteNamespace(ReactiveStringRedisTemplate redis, String namespace) {
		return RedisClusterTestSupport.deleteNamespace(redis, namespace);
	}

}
