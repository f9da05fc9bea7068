package dev.portcullis.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.portcullis.support.RawHttp;
import dev.portcullis.support.TestGateways;
import dev.portcullis.support.TestPorts;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that calls the moment the gateway's port opens (an orchestrator's readiness probe that only checks the
 * port, a client retrying in a loop) must already find the configured clients: bootstrap is applied before any
 * server starts. With many bootstrap entries (each a BCrypt hash) a bootstrap applied after the port opened leaves a
 * window of a second or more in which the last of them is an unknown client.
 */
class FirstRequestIntegrationTests {

	private static final int CLIENTS = 12;

	@Test
	void firstRequestWhenPortJustOpenedThenBootstrapClientsAlreadyExist() throws Exception {
		int port = TestPorts.free();
		List<String> properties = new ArrayList<>(List.of("server.port=" + port, "portcullis.store=memory"));
		for (int i = 0; i < CLIENTS; i++) {
			properties.add("portcullis.bootstrap.clients[" + i + "].id=early-" + i);
			properties.add("portcullis.bootstrap.clients[" + i + "].name=Early " + i);
			properties.add("portcullis.bootstrap.clients[" + i + "].secret=early-secret-" + i);
			properties.add("portcullis.bootstrap.clients[" + i + "].grant-types=client_credentials");
		}
		CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture
			.supplyAsync(() -> TestGateways.start(properties));
		try {
			awaitOpen(port, starting);
			String last = "early-" + (CLIENTS - 1);
			String body = "grant_type=client_credentials&client_id=" + last + "&client_secret=early-secret-"
					+ (CLIENTS - 1);
			RawHttp.Response response = RawHttp.exchange(port, RawHttp.head("POST /Api/access_token HTTP/1.1",
					"Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded",
					"Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length, "Connection: close") + body);

			assertThat(response.status()).as(response.body()).isEqualTo(200);
			assertThat(response.body()).contains("\"access_token\"");
		}
		finally {
			starting.get().close();
		}
	}

	/** Returns as soon as a connection to the port is accepted, polling without pause. */
	private static void awaitOpen(int port, CompletableFuture<?> starting) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(deadline)) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
				return;
			}
			catch (IOException notYet) {
				if (starting.isCompletedExceptionally()) {
					starting.join();
				}
			}
		}
		throw new AssertionError("port " + port + " never opened");
	}


}
