package dev.portcullis.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.portcullis.support.RedisTestSupport.TestRedis;

/**
 * Where the tests get a 3-master Redis Cluster, once per JVM: the {@code REDIS_CLUSTER_NODES} environment variable
 * (comma-separated {@code host:port}, as {@code .ci/run} exports it), else three {@code redis-server} processes
 * from {@code PATH} on free loopback ports (their bus ports, port + 10000, free too), joined by
 * {@code redis-cli --cluster create} and awaited until every node reports {@code cluster_state:ok}. They stop
 * when the JVM exits. Without {@code redis-server} or {@code redis-cli} the tests fail, never skip.
 */
public final class RedisClusterTestSupport {

	private static final Log logger = LogFactory.getLog(RedisClusterTestSupport.class);

	private static final int MASTERS = 3;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static @Nullable List<String> nodes;

	private static @Nullable String failure;

	private RedisClusterTestSupport() {
	}

	/** The cluster's seed nodes as {@code host:port}, found or started on first use. */
	public static synchronized List<String> clusterNodes() {
		if (nodes == null) {
			if (failure != null) {
				throw new IllegalStateException(failure);
			}
			String fromEnvironment = System.getenv("REDIS_CLUSTER_NODES");
			try {
				if (fromEnvironment != null && !fromEnvironment.isBlank()) {
					nodes = Stream.of(fromEnvironment.split(",")).map(String::strip).filter((s) -> !s.isEmpty()).toList();
					logger.info("Tests use Redis Cluster " + nodes + " from the REDIS_CLUSTER_NODES environment variable");
				}
				else {
					nodes = startLocalCluster();
					logger.info("Tests use Redis Cluster " + nodes + " started from redis-server on PATH");
				}
			}
			catch (RuntimeException ex) {
				failure = "No Redis Cluster for the tests: " + ex.getMessage()
						+ ". Set REDIS_CLUSTER_NODES or install redis-server (with redis-cli).";
				throw new IllegalStateException(failure, ex);
			}
		}
		return nodes;
	}

	/**
	 * The properties that put a test gateway on the cluster. Its connect timeout is longer than the 1 s of
	 * application.yml: a cluster client's first connection waits for topology from every node, and on a 2-core CI
	 * machine busy with other gateways that has taken over a second, failing the gateway's start.
	 */
	public static List<String> gatewayProperties() {
		return List.of("spring.data.redis.cluster.nodes=" + String.join(",", clusterNodes()),
				"spring.data.redis.connect-timeout=10s");
	}

	/** A started connection factory and template on {@link #clusterNodes()}; close it when done. */
	public static TestRedis connectCluster() {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(clusterNodes()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		return new TestRedis(connectionFactory, new ReactiveStringRedisTemplate(connectionFactory));
	}

	/**
	 * Deletes every key under the namespace on every master: a cluster keeps each key on one node, so a single
	 * node's KEYS (or SCAN) would miss most of them. Keys are deleted one by one, as they may be in any slot.
	 */
	public static Mono<Long> deleteNamespace(ReactiveStringRedisTemplate redis, String namespace) {
		ByteBuffer pattern = StandardCharsets.UTF_8.encode(namespace + ":*");
		return Mono.usingWhen(Mono.fromSupplier(() -> redis.getConnectionFactory().getReactiveClusterConnection()),
				(connection) -> keysOnEveryMaster(connection, pattern).flatMap(redis::delete).reduce(0L, Long::sum),
				ReactiveRedisClusterConnection::closeLater);
	}

	private static Flux<String> keysOnEveryMaster(ReactiveRedisClusterConnection connection, ByteBuffer pattern) {
		// @formatter:off
		return connection.clusterGetNodes()
			.filter((node) -> node.isMaster())
			.flatMap((node) -> connection.keyCommands().keys(node, pattern.duplicate()))
			.flatMapIterable((keys) -> keys)
			.map((key) -> StandardCharsets.UTF_8.decode(key).toString());
		// @formatter:on
	}

	private static List<String> startLocalCluster() {
		String server = require("redis-server");
		String cli = require("redis-cli");
		Path directory;
		try {
			directory = Files.createTempDirectory("portcullis-redis-cluster");
		}
		catch (IOException ex) {
			throw new IllegalStateException("no temp directory: " + ex.getMessage(), ex);
		}
		List<Process> processes = new ArrayList<>();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(processes, directory), "redis-cluster-stop"));
		List<Integer> ports = new ArrayList<>();
		for (int i = 0; i < MASTERS; i++) {
			int port = freeClusterPort(ports);
			ports.add(port);
			Path nodeDirectory = directory.resolve(String.valueOf(port));
			try {
				Files.createDirectories(nodeDirectory);
				processes.add(new ProcessBuilder(server, "--port", String.valueOf(port), "--bind", "127.0.0.1",
						"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
						"5000", "--save", "", "--appendonly", "no", "--dir", nodeDirectory.toString())
					.redirectErrorStream(true)
					.redirectOutput(nodeDirectory.resolve("redis.log").toFile())
					.start());
			}
			catch (IOException ex) {
				throw new IllegalStateException(server + " did not start: " + ex.getMessage(), ex);
			}
		}
		Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
		for (int i = 0; i < MASTERS; i++) {
			awaitPort(ports.get(i), processes.get(i), deadline);
		}
		List<String> addresses = ports.stream().map((port) -> "127.0.0.1:" + port).toList();
		List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
		create.addAll(addresses);
		create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		String output = run(create, deadline);
		for (int port : ports) {
			awaitClusterOk(cli, port, deadline, output);
		}
		return addresses;
	}

	private static String require(String name) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, name);
				if (Files.isExecutable(candidate)) {
					return candidate.toString();
				}
			}
		}
		throw new IllegalStateException("no " + name + " on PATH (Debian: apt-get install redis-server)");
	}

	/** A loopback port that is free, and whose cluster bus port (+10000) is free too. */
	private static int freeClusterPort(List<Integer> taken) {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 45000);
			if (!taken.contains(port) && !taken.contains(port + 10000) && !taken.contains(port - 10000)
					&& isFree(port) && isFree(port + 10000)) {
				return port;
			}
		}
		throw new IllegalStateException("found no free port pair (port, port + 10000) for a cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void awaitPort(int port, Process process, Instant deadline) {
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("redis-server on port " + port + " exited with status "
						+ process.exitValue());
			}
			try (Socket ignored = new Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException notYet) {
				sleep(20);
			}
		}
		throw new IllegalStateException("redis-server did not open port " + port + " within " + STARTUP_TIMEOUT);
	}

	private static void awaitClusterOk(String cli, int port, Instant deadline, String createOutput) {
		String info = "";
		while (Instant.now().isBefore(deadline)) {
			info = run(List.of(cli, "-p", String.valueOf(port), "cluster", "info"), deadline);
			if (info.contains("cluster_state:ok")) {
				return;
			}
			sleep(100);
		}
		throw new IllegalStateException("node 127.0.0.1:" + port + " did not reach cluster_state:ok within "
				+ STARTUP_TIMEOUT + "; its CLUSTER INFO: " + info + "; redis-cli --cluster create said: "
				+ createOutput);
	}

	/** Runs a command to its end (or the deadline) and returns its output; fails on a non-zero status. */
	private static String run(List<String> command, Instant deadline) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			long millis = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
			byte[] output = process.getInputStream().readAllBytes(); // ends when the process closes its output
			if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish in time");
			}
			String text = new String(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " exited with status "
						+ process.exitValue() + ": " + text);
			}
			return text;
		}
		catch (IOException ex) {
			throw new IllegalStateException(String.join(" ", command) + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private static void stop(List<Process> processes, Path directory) {
		processes.forEach(Process::destroy);
		for (Process process : processes) {
			try {
				process.waitFor(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ignored) {
			// best effort: it is a temp directory
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/**
	 * The extension behind {@link RequiresRedisCluster}: fails the class before it runs when no cluster can be had,
	 * and resolves {@link ReactiveStringRedisTemplate} parameters to one cluster template for the whole run.
	 */
	public static final class Extension implements BeforeAllCallback, ParameterResolver {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
			.create(RedisClusterTestSupport.class);

		@Override
		public void beforeAll(ExtensionContext context) {
			clusterNodes();
		}

		@Override
		public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
			return parameterContext.getParameter().getType() == ReactiveStringRedisTemplate.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
			return extensionContext.getRoot()
				.getStore(NAMESPACE)
				.computeIfAbsent(ClusterRedis.class, (key) -> new ClusterRedis(connectCluster()), ClusterRedis.class)
				.redis()
				.template();
		}

	}

	/** Wraps the cluster's {@link TestRedis} so that the root store keeps it apart from the standalone one. */
	private record ClusterRedis(TestRedis redis) implements AutoCloseable {

		@Override
		public void close() {
			this.redis.close();
		}

	}

}
