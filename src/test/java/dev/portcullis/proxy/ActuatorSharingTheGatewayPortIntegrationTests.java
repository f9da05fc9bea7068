package dev.portcullis.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;

import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

/**
 * With {@code management.server.port} set to the gateway's own port, the actuator is one of Portcullis's own
 * endpoints there ({@code OwnEndpoints}): health, info and metrics open as on a port of their own, the rest behind a
 * token, as Spring Security's chain decided before {@link BearerTokenWebFilter} took the proxied requests.
 */
class ActuatorSharingTheGatewayPortIntegrationTests {

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		int port = freePort();
		gateway = TestGateways.start(List.of("server.port=" + port, "management.server.port=" + port,
				"portcullis.store=memory", "management.endpoints.web.exposure.include=health,info,prometheus,beans"));
	}

	@AfterAll
	static void stop() {
		gateway.close();
	}

	@Test
	void actuatorWhenOnTheGatewayPortThenHealthOpenAndOtherEndpointsNeedAToken() {
		for (String path : List.of("/actuator/health", "/actuator/info", "/actuator/prometheus")) {
			TestGateways.client(gateway).get().uri(path).exchange().expectStatus().isOk();
		}
		TestGateways.client(gateway).get().uri("/actuator/beans").exchange().expectStatus().isUnauthorized()
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
