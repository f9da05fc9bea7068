package dev.portcullis.proxy;

import java.util.List;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.RawHttp;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator lives on the management port; on the gateway's port an {@code /actuator/...} path is an ordinary
 * path and needs a token like every other. It was let through without one, so with a catch-all route (a common way to
 * put a whole backend behind the gateway) the backend's own {@code /actuator/...} answered anyone.
 */
class ActuatorPathsOnTheGatewayPortIntegrationTests {

	private static EchoUpstream upstream;

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		upstream = new EchoUpstream();
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"spring.cloud.gateway.server.webflux.routes[0].id=everything",
				"spring.cloud.gateway.server.webflux.routes[0].uri=" + upstream.uri(),
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**"));
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/info", "/actuator/health", "/actuator/health/liveness", "/actuator/prometheus" })
	void actuatorPathWhenNoTokenOnTheGatewayPortThenRefusedAndNotForwarded(String path) {
		TestGateways.client(gateway).get().uri(path).exchange().expectStatus().isUnauthorized().expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
	}

	/**
	 * The management port serves the actuator and nothing else. Spring Cloud Gateway's mapping steps back there only
	 * when {@code management.server.port} names the port; with 0 (a free one, as in these tests) it did not, and a path
	 * below info or metrics, which Spring Security's chain lets pass without a token, reached the catch-all route.
	 */
	@Test
	void actuatorPathTheActuatorDoesNotAnswerOnTheManagementPortThenNotForwarded() {
		int port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port"));
		long forwarded = upstream.requestCount();

		for (String request : List.of("GET /actuator/info/x", "DELETE /actuator/prometheus/x")) {
			RawHttp.Response response = RawHttp.exchange(port,
					RawHttp.head(request + " HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Content-Length: 0"));
			assertThat(response.status()).as(request).isEqualTo(404);
		}
		assertThat(upstream.requestCount()).isEqualTo(forwarded);
	}

}
