package dev.portcullis.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gateway replicas for a test: processes of their own ({@link TestGateways#start}) sharing one Redis namespace and one
 * {@link EchoUpstream}, closed together, the last started first, after which the namespace is deleted.
 */
public final class Replicas implements AutoCloseable {

	private final String namespace = RedisTestSupport.randomNamespace();

	private final EchoUpstream upstream = new EchoUpstream();

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	public EchoUpstream upstream() {
		return this.upstream;
	}

	/**
	 * Starts a replica on a free port (unless {@code properties} name one) with the shared Redis namespace, the shared
	 * upstream and BCrypt at its cheapest, plus {@code properties}.
	 */
	public ConfigurableApplicationContext start(List<String> properties) {
		List<String> shared = List.of("portcullis.store=redis", "spring.data.redis.url=" + RedisTestSupport.redisUrl(),
				"portcullis.redis.namespace=" + this.namespace, "portcullis.upstream.uri=" + this.upstream.uri(),
				"portcullis.secrets.bcrypt-strength=4");
		List<String> port = properties.stream().anyMatch((property) -> property.startsWith("server.port="))
				? List.of() : List.of("server.port=0");
		ConfigurableApplicationContext replica = TestGateways
			.start(Stream.of(port, shared, properties).flatMap(List::stream).toList());
		this.started.add(replica);
		return replica;
	}

	@Override
	public void close() {
		try {
			for (int i = this.started.size() - 1; i >= 0; i--) {
				this.started.get(i).close();
			}
		}
		finally {
			this.upstream.close();
			try (RedisTestSupport.TestRedis redis = RedisTestSupport.connect()) {
				RedisTestSupport.deleteNamespace(redis.template(), this.namespace).block(Duration.ofSeconds(10));
			}
		}
	}

}
