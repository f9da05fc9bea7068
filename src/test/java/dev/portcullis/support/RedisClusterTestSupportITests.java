package dev.portcullis.support;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster really has 3 masters sharing the keys, and the namespace clean-up reaches every one of them. */
@RequiresRedisCluster
class RedisClusterTestSupportITests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveStringRedisTemplate redis;

	RedisClusterTestSupportITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Test
	void keysSpreadOverThreeMastersAndDeleteNamespaceRemovesThemAll() {
		String namespace = RedisTestSupport.randomNamespace();
		Flux.range(0, 30).flatMap((i) -> this.redis.opsForValue().set(namespace + ":key-" + i, "v")).blockLast(TIMEOUT);

		ReactiveRedisClusterConnection connection = this.redis.getConnectionFactory().getReactiveClusterConnection();
		try {
			var masters = connection.clusterGetNodes().filter(RedisClusterNode::isMaster).collectList().block(TIMEOUT);
			assertThat(masters).hasSize(3);
			long mastersWithKeys = masters.stream()
				.filter((node) -> IntStream.range(0, 30)
					.anyMatch((i) -> node.servesSlot(
							io.lettuce.core.cluster.SlotHash.getSlot(namespace + ":key-" + i))))
				.count();
			assertThat(mastersWithKeys).isEqualTo(3);
		}
		finally {
			connection.closeLater().block(TIMEOUT);
		}

		assertThat(RedisClusterTestSupport.deleteNamespace(this.redis, namespace).block(TIMEOUT)).isEqualTo(30L);
		assertThat(Flux.range(0, 30).flatMap((i) -> this.redis.hasKey(namespace + ":key-" + i)).any((b) -> b)
			.block(TIMEOUT)).isFalse();
	}

}
