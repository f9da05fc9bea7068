package dev.portcullis.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gateways of one test that each keep their own state in one Redis (a front gateway and the back gateway it calls,
 * replicas of either): started as processes of their own ({@link TestGateways#start}), each in the Redis namespace its
 * properties name, stopped together, the last started first, after which those namespaces are deleted. (Replicas of
 * one gateway sharing a namespace and an upstream: {@link Replicas}.)
 */
public final class Gateways implements AutoCloseable {

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	private final Set<String> namespaces = new LinkedHashSet<>();

	/**
	 * Starts a gateway on a free port with the Redis store and BCrypt at its cheapest, plus {@code properties}, which
	 * name its namespace ({@code portcullis.redis.namespace=…}) and its upstream.
	 */
	public ConfigurableApplicationContext start(List<String> properties) {
		List<String> shared = List.of("server.port=0", "portcullis.store=redis",
				"spring.data.redis.url=" + RedisTestSupport.redisUrl(), "portcullis.secrets.bcrypt-strength=4");
		properties.stream()
			.filter((property) -> property.startsWith("portcullis.redis.namespace="))
			.forEach((property) -> this.namespaces.add(property.substring(property.indexOf('=') + 1)));
		ConfigurableApplicationContext gateway = TestGateways
			.start(Stream.of(shared, properties).flatMap(List::stream).toList());
		this.started.add(gateway);
		return gateway;
	}

	/** Stops one gateway before the others (its namespace is still deleted at the end). */
	public void stop(ConfigurableApplicationContext gateway) {
		this.started.remove(gateway);
		gateway.close();
	}

	@Override
	public void close() {
		try {
			for (int i = this.started.size() - 1; i >= 0; i--) {
				this.started.get(i).close();
			}
		}
		finally {
			try (RedisTestSupport.TestRedis redis = RedisTestSupport.connect()) {
				for (String namespace : this.namespaces) {
					RedisTestSupport.deleteNamespace(redis.template(), namespace).block(Duration.ofSeconds(10));
				}
			}
		}
	}

}
