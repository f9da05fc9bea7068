package dev.portcullis.web.admin;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RedisTestSupport.TestRedis;
import dev.portcullis.support.RequiresRedisCluster;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

/**
 * The admin API on a 3-master Redis Cluster, where a path parameter that shapes a key's hash tag matters: a code
 * hash such as {@code }{} gave its keys empty hash tags, so one script's keys fell in different slots (a 500 from
 * Redis's CROSSSLOT). Only a code's SHA-256 shape reaches the store now.
 */
@RequiresRedisCluster
class AdminApiOnClusterIntegrationTests {

	private static final String NAMESPACE = RedisTestSupport.randomNamespace();

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		List<String> properties = new ArrayList<>(RedisClusterTestSupport.gatewayProperties());
		properties.addAll(List.of("server.port=0", "portcullis.redis.namespace=" + NAMESPACE, "portcullis.secrets.bcrypt-strength=4",
				"portcullis.bootstrap.users[0].username=cluster-admin",
				"portcullis.bootstrap.users[0].password=cluster-admin-password",
				"portcullis.bootstrap.users[0].admin=true"));
		gateway = TestGateways.start(properties);
	}

	@AfterAll
	static void stop() {
		gateway.close();
		try (TestRedis cluster = RedisClusterTestSupport.connectCluster()) {
			RedisClusterTestSupport.deleteNamespace(cluster.template(), NAMESPACE).block(Duration.ofSeconds(10));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "%7D%7B", "%7Babc%7D", "a%7D%7Bb", "0123", "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg" })
	void revokeCodeWhenHashIsNoSha256ThenNotFoundWithoutReachingTheStore(String encodedHash) {
		TestGateways.client(gateway).delete()
			.uri(URI.create("http://127.0.0.1:" + TestGateways.port(gateway) + "/admin/api/codes/" + encodedHash))
			.header(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder()
				.encodeToString("cluster-admin:cluster-admin-password".getBytes(StandardCharsets.UTF_8)))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("not_found");
	}

}
