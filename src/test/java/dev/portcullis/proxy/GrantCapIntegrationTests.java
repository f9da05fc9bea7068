package dev.portcullis.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: an integration that asks for a token per call kept a grant record per token until it expired (about
 * 2 GB of Redis at 600 tokens/s with one-hour tokens). A client holds at most
 * {@code portcullis.tokens.max-grants-per-client-and-subject} live grants per subject; the oldest end.
 */
@RequiresRedis
class GrantCapIntegrationTests {

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void tokenEndpointWhenAClientAsksForMoreTokensThanTheCapThenTheOldestAreRevokedAndTheStoreStaysBounded() {
		String namespace = RedisTestSupport.randomNamespace();
		try (EchoUpstream upstream = new EchoUpstream();
				ConfigurableApplicationContext gateway = TestGateways.start(List.of("server.port=0",
						"portcullis.store=redis", "spring.data.redis.url=" + RedisTestSupport.redisUrl(),
						"portcullis.redis.namespace=" + namespace, "portcullis.upstream.uri=" + upstream.uri(),
						"portcullis.secrets.bcrypt-strength=4", "portcullis.tokens.max-grants-per-client-and-subject=5",
						"portcullis.bootstrap.clients[0].id=chatty", "portcullis.bootstrap.clients[0].name=Chatty",
						"portcullis.bootstrap.clients[0].secret=chatty-client-secret",
						"portcullis.bootstrap.clients[0].grant-types=client_credentials"))) {
			WebTestClient http = TestGateways.client(gateway);
			List<String> tokens = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				if (i == 5) {
					// tokens expire to the second: the second five must expire later than the first five
					sleep(1_100);
				}
				tokens.add(TestGateways.clientCredentialsToken(gateway, "chatty", "chatty-client-secret"));
			}

			List<Integer> statuses = tokens.stream()
				.map((token) -> http.get()
					.uri("/Api/V8/module/Accounts")
					.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
					.exchange()
					.expectBody()
					.returnResult()
					.getStatus()
					.value())
				.toList();
			assertThat(statuses.subList(0, 5)).as("the grants that expire first ended").containsOnly(401);
			assertThat(statuses.subList(5, 10)).containsOnly(200);
			try (RedisTestSupport.TestRedis redis = RedisTestSupport.connect()) {
				List<String> grants = redis.template()
					.scan(org.springframework.data.redis.core.ScanOptions.scanOptions().match(namespace + ":authz:*").build())
					.filter((key) -> !key.endsWith(":used"))
					.collectList()
					.block(Duration.ofSeconds(10));
				assertThat(grants).as("grant records kept in Redis").hasSize(5);
				RedisTestSupport.deleteNamespace(redis.template(), namespace).block(Duration.ofSeconds(10));
			}
		}
	}

}
