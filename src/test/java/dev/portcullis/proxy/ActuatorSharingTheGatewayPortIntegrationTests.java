package dev.portcullis.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.RawHttp;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code management.server.port} set to the gateway's own port, the actuator is one of Portcullis's own
 * endpoints there ({@code OwnEndpoints}): health, info and metrics open as on a port of their own, the rest behind a
 * token, as Spring Security's chain decided before {@link BearerTokenWebFilter} took the proxied requests. Behind a
 * catch-all route ({@code Path=/**}) too, whose backend hears of no {@code /actuator} path.
 */
class ActuatorSharingTheGatewayPortIntegrationTests {

	private static EchoUpstream upstream;

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		upstream = new EchoUpstream();
		int port = freePort();
		gateway = TestGateways.start(List.of("server.port=" + port, "management.server.port=" + port,
				"portcullis.store=memory", "management.endpoints.web.exposure.include=health,info,prometheus,beans",
				"portcullis.secrets.bcrypt-strength=4", "portcullis.bootstrap.clients[0].id=shared-port",
				"portcullis.bootstrap.clients[0].name=Shared port",
				"portcullis.bootstrap.clients[0].secret=shared-port-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"spring.cloud.gateway.server.webflux.routes[0].id=everything",
				"spring.cloud.gateway.server.webflux.routes[0].uri=" + upstream.uri(),
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**"));
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
	}

	@Test
	void actuatorWhenOnTheGatewayPortThenHealthOpenAndOtherEndpointsNeedAToken() {
		for (String path : List.of("/actuator/health", "/actuator/info", "/actuator/prometheus")) {
			TestGateways.client(gateway).get().uri(path).exchange().expectStatus().isOk();
		}
		TestGateways.client(gateway).get().uri("/actuator/beans").exchange().expectStatus().isUnauthorized()
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
	}

	/**
	 * Spring Security's chain lets {@code /actuator/info/**} and {@code /actuator/prometheus/**} pass without a token
	 * (Boot's {@code EndpointRequest} matches below an endpoint's path, in any method), and the actuator answers none
	 * of them but the endpoint's own path: a path the actuator does not answer went on to the catch-all route, which
	 * forwarded it to the backend without a token. No {@code /actuator} path is routed while the actuator shares the
	 * port, with a token or without.
	 */
	@Test
	void actuatorPathTheActuatorDoesNotAnswerWhenCatchAllRouteThenNotForwarded() {
		int port = TestGateways.port(gateway);
		String token = TestGateways.clientCredentialsToken(gateway, "shared-port", "shared-port-secret");
		long forwarded = upstream.requestCount();

		for (String request : List.of("GET /actuator/info/x", "GET /actuator/info/", "DELETE /actuator/prometheus/x",
				"POST /actuator/info/x", "GET /actuator/%69nfo/x")) {
			RawHttp.Response response = RawHttp.exchange(port,
					RawHttp.head(request + " HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "Content-Length: 0"));
			assertThat(response.status()).as(request).isEqualTo(404);
		}
		for (String path : List.of("/actuator/nothing", "/actuator/info/x")) {
			RawHttp.Response response = RawHttp.exchange(port, RawHttp.head("GET " + path + " HTTP/1.1",
					"Host: 127.0.0.1", "Connection: close", "Authorization: Bearer " + token));
			assertThat(response.status()).as(path).isEqualTo(404);
		}
		assertThat(upstream.requestCount()).isEqualTo(forwarded);
		// the catch-all route itself still works
		TestGateways.client(gateway).get().uri("/anything").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange().expectStatus().isOk();
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
