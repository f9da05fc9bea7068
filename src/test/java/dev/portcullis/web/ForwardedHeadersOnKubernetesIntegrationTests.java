package dev.portcullis.web;

import java.util.List;

import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The attack: on Kubernetes Spring Boot would trust {@code X-Forwarded-For} from anyone (it turns forwarded headers on
 * for that platform), so a guesser naming a new address on every request would never be limited. Portcullis reads
 * forwarded headers only from {@code portcullis.trusted-proxies}, whatever the platform.
 */
class ForwardedHeadersOnKubernetesIntegrationTests {

	@Test
	void secretsGuessedWithAnotherXForwardedForEachTimeThenStillLimitedByTheRealAddress() {
		try (ConfigurableApplicationContext gateway = TestGateways.start(List.of("server.port=0",
				"spring.main.cloud-platform=kubernetes", "portcullis.store=memory", "portcullis.secrets.bcrypt-strength=4",
				"portcullis.bootstrap.clients[0].id=k8s-client", "portcullis.bootstrap.clients[0].name=Kubernetes client",
				"portcullis.bootstrap.clients[0].secret=k8s-client-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials"))) {
			WebTestClient attacker = TestGateways.clientFrom(TestGateways.port(gateway),
					TestGateways.randomLoopbackAddress());
			for (int i = 0; i < 5; i++) {
				guess(attacker, i).expectStatus().isUnauthorized();
			}

			guess(attacker, 5).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		}
	}

	private static WebTestClient.ResponseSpec guess(WebTestClient attacker, int i) {
		return attacker.post()
			.uri("/Api/access_token")
			.header("X-Forwarded-For", "203.0.113." + (i + 1))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials&client_id=k8s-client&client_secret=guess-" + i)
			.exchange();
	}

}
