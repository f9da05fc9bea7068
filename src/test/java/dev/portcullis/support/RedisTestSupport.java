package dev.portcullis.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import reactor.core.publisher.Mono;
import redis.embedded.RedisServer;

/**
 * The one place that decides where the tests get Redis, once per JVM, in this order:
 * <ol>
 * <li>the {@code REDIS_URL} environment variable (CI starts a server and sets it);</li>
 * <li>{@code redis-server} from {@code PATH}, started on a free loopback port without persistence;</li>
 * <li>a Testcontainers {@code redis:7.4-alpine} when a Docker engine answers;</li>
 * <li>the Redis binary bundled in {@code com.github.codemonstur:embedded-redis} (an old 6.2, last resort).</li>
 * </ol>
 * When none works the tests fail with what was tried: a store that silently goes untested is worse than a red
 * build. The cheap checks come first because the Docker probe alone costs about a second and logs an error block.
 * Servers started here stop when the JVM exits.
 */
public final class RedisTestSupport {

	private static final Log logger = LogFactory.getLog(RedisTestSupport.class);

	private static final String IMAGE = "redis:7.4-alpine";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private static @Nullable String url;

	/** Why no Redis could be had, remembered so that every later class fails fast with the same message. */
	private static @Nullable String failure;

	private RedisTestSupport() {
	}

	/** The URL of the tests' Redis, found or started on first use. */
	public static synchronized String redisUrl() {
		if (url == null) {
			if (failure != null) {
				throw new IllegalStateException(failure);
			}
			List<String> tried = new ArrayList<>();
			url = find(tried);
			if (url == null) {
				failure = "No Redis for the tests. Tried, in order: " + String.join("; ", tried)
						+ ". Set REDIS_URL, install redis-server or start Docker.";
				throw new IllegalStateException(failure);
			}
		}
		return url;
	}

	/** A started connection factory and template on {@link #redisUrl()}; close it when done. */
	public static TestRedis connect() {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				LettuceConnectionFactory.createRedisConfiguration(redisUrl()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		return new TestRedis(connectionFactory, new ReactiveStringRedisTemplate(connectionFactory));
	}

	/** A namespace no other test uses, for {@code dev.portcullis.store.redis.RedisKeys}. */
	public static String randomNamespace() {
		return "portcullis-test-" + SecureIds.randomHex(8);
	}

	/** Deletes every key under the namespace. A scan is fine here; the stores themselves never scan. */
	public static Mono<Long> deleteNamespace(ReactiveRedisOperations<String, String> redis, String namespace) {
		// @formatter:off
		return redis.scan(ScanOptions.scanOptions().match(namespace + ":*").count(1000).build())
			.collectList()
			.flatMap((keys) -> keys.isEmpty() ? Mono.just(0L) : redis.delete(keys.toArray(String[]::new)));
		// @formatter:on
	}

	private static @Nullable String find(List<String> tried) {
		String fromEnvironment = System.getenv("REDIS_URL");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return using(fromEnvironment, "the REDIS_URL environment variable");
		}
		tried.add("REDIS_URL is not set");
		String binary = onPath("redis-server");
		if (binary == null) {
			tried.add("no redis-server on PATH");
		}
		else {
			try {
				return using(startLocal(binary), "redis-server on PATH (" + binary + ")");
			}
			catch (RuntimeException ex) {
				tried.add(binary + " did not start: " + ex.getMessage());
			}
		}
		try {
			if (DockerClientFactory.instance().isDockerAvailable()) {
				return using(startContainer(), "Testcontainers " + IMAGE);
			}
			tried.add("no Docker engine for Testcontainers");
		}
		catch (RuntimeException ex) {
			tried.add("Testcontainers " + IMAGE + " did not start: " + ex.getMessage());
		}
		try {
			return using(startEmbedded(), "embedded-redis (bundled Redis 6.2)");
		}
		catch (IOException | RuntimeException ex) {
			tried.add("embedded-redis did not start: " + ex.getMessage());
		}
		return null;
	}

	private static String using(String redisUrl, String source) {
		logger.info("Tests use Redis at " + redisUrl + " from " + source);
		return redisUrl;
	}

	private static @Nullable String onPath(String name) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, name);
				if (Files.isExecutable(candidate)) {
					return candidate.toString();
				}
			}
		}
		return null;
	}

	private static String startLocal(String binary) {
		int port = freePort();
		Process process;
		try {
			process = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
					"--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "redis-server-stop"));
		awaitPort(port, process);
		return "redis://127.0.0.1:" + port;
	}

	private static String startContainer() {
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE)).withExposedPorts(6379);
		container.start(); // Testcontainers' Ryuk removes it when the JVM exits
		return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
	}

	private static String startEmbedded() throws IOException {
		int port = freePort();
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("appendonly no")
			.onShutdownForceStop(true)
			.build();
		server.start(); // returns once the server logs that it is ready
		return "redis://127.0.0.1:" + port;
	}

	/** Waits until the server accepts connections: it listens only once it is ready to serve. */
	private static void awaitPort(int port, Process process) {
		Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("it exited with status " + process.exitValue());
			}
			try (Socket ignored = new Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException notYet) {
				sleep();
			}
		}
		process.destroy();
		throw new IllegalStateException("port " + port + " did not open within " + STARTUP_TIMEOUT);
	}

	private static void sleep() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("no free port: " + ex.getMessage(), ex);
		}
	}

	/** A connection factory and the template on it, closed together. */
	public record TestRedis(LettuceConnectionFactory connectionFactory,
			ReactiveStringRedisTemplate template) implements AutoCloseable {

		@Override
		public void close() {
			this.connectionFactory.destroy();
		}

	}

	/**
	 * The extension behind {@link RequiresRedis}: fails the class before it runs when no Redis can be had, and
	 * resolves {@link ReactiveStringRedisTemplate} parameters to one template for the whole run, closed at its end.
	 */
	public static final class Extension implements BeforeAllCallback, ParameterResolver {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
			.create(RedisTestSupport.class);

		@Override
		public void beforeAll(ExtensionContext context) {
			redisUrl();
		}

		@Override
		public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
			return parameterContext.getParameter().getType() == ReactiveStringRedisTemplate.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
			return extensionContext.getRoot()
				.getStore(NAMESPACE)
				.computeIfAbsent(TestRedis.class, (key) -> connect(), TestRedis.class)
				.template();
		}

	}

}
