package dev.portcullis.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.shutdown: graceful}: a gateway asked to stop finishes the proxied requests in flight, and takes no
 * new ones. Runs its own gateway (memory store), since it closes it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GracefulShutdownIntegrationTests {

	private static final String CLIENT_ID = "shutdown-test-client";

	private static final String SECRET = "shutdown-test-secret";

	private static final Duration DEADLINE = Duration.ofSeconds(5);

	@Test
	void closeWhenRequestInFlightThenItCompletesAndNewRequestsRefused() throws Exception {
		try (EchoUpstream upstream = new EchoUpstream()) {
			ConfigurableApplicationContext gateway = TestGateways.start(List.of("server.port=0",
					"portcullis.store=memory", "portcullis.upstream.uri=" + upstream.uri(),
					"portcullis.secrets.bcrypt-strength=4", "portcullis.bootstrap.clients[0].id=" + CLIENT_ID,
					"portcullis.bootstrap.clients[0].name=Shutdown test",
					"portcullis.bootstrap.clients[0].secret=" + SECRET,
					"portcullis.bootstrap.clients[0].grant-types=client_credentials"));
			CompletableFuture<Void> closing = null;
			try {
				String base = "http://127.0.0.1:" + TestGateways.port(gateway);
				String token = token(gateway);
				long before = upstream.requestCount();

				CompletableFuture<HttpResponse<String>> inFlight = newClient()
					.sendAsync(get(base + "/Api/V8/slow/1500", token), HttpResponse.BodyHandlers.ofString());
				awaitTrue(() -> upstream.requestCount() > before, "the slow request reached the backend");

				closing = CompletableFuture.runAsync(gateway::close);
				String refusal = awaitRefusal(base + "/Api/V8/accounts", token);

				assertThat(inFlight).as("still in flight when new requests were refused (%s)", refusal).isNotDone();
				HttpResponse<String> response = inFlight.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("{\"slow\":true}");
				closing.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(gateway.isActive()).isFalse();
			}
			finally {
				if (closing == null) {
					gateway.close();
				}
			}
		}
	}

	/** Tries new requests on new connections until one is refused; returns how. */
	private static String awaitRefusal(String uri, String token) throws InterruptedException {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				HttpResponse<String> response = newClient().send(get(uri, token), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 503) {
					return "503";
				}
			}
			catch (ConnectException ex) {
				return "connection refused";
			}
			catch (IOException ex) {
				// closed while being answered: shutdown has begun but this is no clean refusal; try again
			}
			Thread.sleep(20);
		}
		throw new AssertionError("new requests still accepted " + DEADLINE + " after shutdown began");
	}

	private static String token(ConfigurableApplicationContext gateway) {
		return TestGateways.clientCredentialsToken(gateway, CLIENT_ID, SECRET);
	}

	/** A client of its own, so that no pooled connection opened before shutdown is reused. */
	private static HttpClient newClient() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(1))
			.build();
	}

	private static HttpRequest get(String uri, String token) {
		return HttpRequest.newBuilder(URI.create(uri))
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(10))
			.build();
	}

	private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
			throws InterruptedException {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as(what).isLessThan(deadline);
			Thread.sleep(10);
		}
	}

}
