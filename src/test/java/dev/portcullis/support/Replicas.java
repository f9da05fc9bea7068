package dev.portcullis.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway replicas for a test: processes of their own ({@link TestGateways#start}) sharing one Redis namespace and one
 * {@link EchoUpstream}, closed together, the last started first, after which the namespace is deleted.
 */
public final class Replicas implements AutoCloseable {

	/** How soon a token ended at one replica is refused at every other. */
	public static final Duration PROPAGATION_LIMIT = Duration.ofSeconds(1);

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

	/** A call to the CRM API through a replica's proxy, with the token. */
	public static WebTestClient.ResponseSpec accounts(WebTestClient replica, String token) {
		return replica.get()
			.uri("/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange();
	}

	/**
	 * Polls a replica with the token every 50 ms until its proxy refuses it as revoked, and fails unless that happens
	 * within {@link #PROPAGATION_LIMIT}, the promise that an ended token is refused everywhere at once; until then only
	 * 200 is acceptable. Emits how long it took.
	 */
	public static Duration refusedWithin(WebTestClient replica, String token) throws InterruptedException {
		long started = System.nanoTime();
		List<Integer> statuses = new ArrayList<>();
		while (true) {
			EntityExchangeResult<byte[]> response = accounts(replica, token).expectBody().returnResult();
			int status = response.getStatus().value();
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			statuses.add(status);
			if (status == 401) {
				assertThat(TestGateways.parse(response.getResponseBody())).as("refused for the revocation")
					.containsEntry("error", "access_denied")
					.containsEntry("hint", "Access token has been revoked");
				assertThat(elapsed).as("refused within " + PROPAGATION_LIMIT + ", statuses " + statuses)
					.isLessThanOrEqualTo(PROPAGATION_LIMIT);
				return elapsed;
			}
			assertThat(status).as("before the refusal the token still works; statuses " + statuses).isEqualTo(200);
			assertThat(elapsed).as("refused within " + PROPAGATION_LIMIT + ", statuses " + statuses)
				.isLessThan(PROPAGATION_LIMIT);
			Thread.sleep(50);
		}
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
