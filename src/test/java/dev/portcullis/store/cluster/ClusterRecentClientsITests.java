package dev.portcullis.store.cluster;

import dev.portcullis.store.redis.AbstractRecentClientsTests;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The {@link AbstractRecentClientsTests} on a real 3-master Redis Cluster: the announcements are published on
 * the master that holds the clients' slot and reach the replica's pub/sub connection to one node.
 */
@RequiresRedisCluster
class ClusterRecentClientsITests extends AbstractRecentClientsTests {

	ClusterRecentClientsITests(ReactiveStringRedisTemplate redis) {
		super(redis);
	}

	@Override
	protected Mono<?> deleteNamespace(ReactiveStringRedisTemplate redis, String namespace) {
		return RedisClusterTestSupport.deleteNamespace(redis, namespace);
	}

}
