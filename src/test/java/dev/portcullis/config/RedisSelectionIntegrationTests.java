package dev.portcullis.config;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.store.redis.RedisClientStore;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport.TestRedis;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.TestGateways;
import dev.portcullis.support.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway given only Sentinel or only Cluster settings, as the README's "standalone, Sentinel or Cluster through
 * spring.data.redis.*" suggests, runs on that Redis: its bootstrap client is written there and a token issued. Each
 * replica on the in-memory store instead would keep tokens and revocations of its own.
 */
class RedisSelectionIntegrationTests {

	@Test
	void startWhenOnlySentinelSettingsThenClientsAndTokensLiveInTheMonitoredRedis(@TempDir Path folder) throws Exception {
		URI master = URI.create(RedisTestSupport.redisUrl());
		int sentinelPort = TestPorts.free();
		Path config = folder.resolve("sentinel.conf");
		Files.writeString(config, "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + folder + "\n"
				+ "sentinel monitor portcullis-test " + master.getHost() + " " + master.getPort() + " 1\n");
		Process sentinel = new ProcessBuilder(redisServer(), config.toString(), "--sentinel")
			.redirectErrorStream(true)
			.redirectOutput(folder.resolve("sentinel.log").toFile())
			.start();
		String namespace = RedisTestSupport.randomNamespace();
		try (TestRedis redis = RedisTestSupport.connect()) {
			TestPorts.awaitOpen(sentinelPort, Duration.ofSeconds(10), "Redis Sentinel");
			assertRunsOnRedis(List.of("spring.data.redis.sentinel.master=portcullis-test",
					"spring.data.redis.sentinel.nodes=127.0.0.1:" + sentinelPort), namespace, redis);
			RedisTestSupport.deleteNamespace(redis.template(), namespace).block(Duration.ofSeconds(10));
		}
		finally {
			sentinel.destroy();
			sentinel.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void startWhenOnlyClusterNodesThenClientsAndTokensLiveInTheCluster() {
		String namespace = RedisTestSupport.randomNamespace();
		try (TestRedis cluster = RedisClusterTestSupport.connectCluster()) {
			assertRunsOnRedis(RedisClusterTestSupport.gatewayProperties(), namespace, cluster);
			RedisClusterTestSupport.deleteNamespace(cluster.template(), namespace).block(Duration.ofSeconds(10));
		}
	}

	private static void assertRunsOnRedis(List<String> redisSettings, String namespace, TestRedis redis) {
		List<String> properties = new java.util.ArrayList<>(List.of("server.port=0",
				"portcullis.redis.namespace=" + namespace, "portcullis.secrets.bcrypt-strength=4",
				"portcullis.bootstrap.clients[0].id=selected", "portcullis.bootstrap.clients[0].name=Selected",
				"portcullis.bootstrap.clients[0].secret=selected-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials"));
		properties.addAll(redisSettings);
		try (ConfigurableApplicationContext gateway = TestGateways.start(properties)) {
			assertThat(gateway.getEnvironment().getProperty("portcullis.store")).isEqualTo("redis");
			assertThat(gateway.getBean(ClientStore.class)).isInstanceOf(RedisClientStore.class);
			assertThat(TestGateways.clientCredentialsToken(gateway, "selected", "selected-secret")).isNotBlank();
			assertThat(redis.template().hasKey(namespace + ":{clients}:client:selected").block(Duration.ofSeconds(5)))
				.as("the bootstrap client is in Redis").isTrue();
		}
	}

	private static String redisServer() {
		for (String directory : System.getenv("PATH").split(File.pathSeparator)) {
			File candidate = new File(directory, "redis-server");
			if (candidate.canExecute()) {
				return candidate.getPath();
			}
		}
		throw new IllegalStateException("This test runs a Redis Sentinel and needs redis-server on PATH");
	}

}
