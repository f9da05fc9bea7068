package dev.portcullis.web.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.RawHttpConnection;
import dev.portcullis.support.RawHttpConnection.Closed;
import dev.portcullis.support.RawHttpConnection.Response;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks on the gateway's connections, over real sockets: a request head sent one byte at a time, connections
 * held silent, more connections than allowed; and the streamed upload those limits must not cut off. Runs gateways
 * of its own (memory store) with short timeouts: a header-read timeout of 1 s, an idle timeout of 3 s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitsIntegrationTests {

	private static final Duration HEADER_READ_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

	private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(2);

	private static final String ADMIN = "limits-admin";

	private static final String ADMIN_PASSWORD = "limits-admin-password";

	/** How late an answer or a close may come on a loaded machine. */
	private static final Duration MARGIN = Duration.ofSeconds(2);

	private static final Duration DRIP_INTERVAL = Duration.ofMillis(300);

	/** A request that needs no token; sent one byte every 300 ms it would take 16 s. */
	private static final String JWKS = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

	private static final String CLIENT_ID = "connection-limits-client";

	private static final String SECRET = "connection-limits-secret";

	private static EchoUpstream upstream;

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void startGateway() {
		upstream = new EchoUpstream();
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.upstream.uri=" + upstream.uri(), "portcullis.secrets.bcrypt-strength=4",
				"portcullis.bootstrap.clients[0].id=" + CLIENT_ID, "portcullis.bootstrap.clients[0].name=Limits test",
				"portcullis.bootstrap.clients[0].secret=" + SECRET,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.server.header-read-timeout=" + HEADER_READ_TIMEOUT.toMillis() + "ms",
				"portcullis.server.body-read-timeout=" + BODY_READ_TIMEOUT.toMillis() + "ms",
				"portcullis.bootstrap.users[0].username=" + ADMIN, "portcullis.bootstrap.users[0].password=" + ADMIN_PASSWORD,
				"portcullis.bootstrap.users[0].admin=true",
				"server.netty.idle-timeout=" + IDLE_TIMEOUT.toMillis() + "ms"));
	}

	@AfterAll
	static void stopGateway() {
		if (gateway != null) {
			gateway.close();
		}
		if (upstream != null) {
			upstream.close();
		}
	}

	@Test
	void headerReadTimeoutWhenHeadSentOneBytePer300MillisThenRequestTimeoutAndClosed() throws Exception {
		try (RawHttpConnection connection = RawHttpConnection.open(port(gateway))) {
			int sent = connection.drip(JWKS, DRIP_INTERVAL);
			Response response = connection.readResponse();
			Duration answeredAfter = connection.sinceOpened();

			assertThat(response.status()).isEqualTo(408);
			assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
			assertThat(answeredAfter).isBetween(HEADER_READ_TIMEOUT.minusMillis(50), HEADER_READ_TIMEOUT.plus(MARGIN));
			assertThat(sent).as("bytes of the head sent before the answer").isLessThan(JWKS.length() / 2);
			assertThat(connection.awaitClose(MARGIN).received()).isEmpty();
		}
	}

	/**
	 * Review finding on issue 11: a small body sent one byte at a time held a connection past every timeout (about
	 * 3.7 days for a 64 KB token request at one byte every 5 s), so a few thousand of them filled the connection cap.
	 */
	@Test
	void bodyReadTimeoutWhenATokenRequestBodyDripsThenRequestTimeoutAndClosed() throws Exception {
		String body = "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + SECRET;
		try (RawHttpConnection connection = RawHttpConnection.open(port(gateway))) {
			connection.send("POST /Api/access_token HTTP/1.1\r\nHost: gateway\r\n"
					+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n");
			long headSent = System.nanoTime();
			int sent = connection.drip(body, DRIP_INTERVAL);
			Response response = connection.readResponse();
			Duration answeredAfter = Duration.ofNanos(System.nanoTime() - headSent);

			assertThat(response.status()).isEqualTo(408);
			assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
			assertThat(TestGateways.parse(response.body())).containsEntry("error", "invalid_request")
				.containsEntry("hint", "The request body did not arrive in time");
			assertThat(answeredAfter).isBetween(BODY_READ_TIMEOUT.minusMillis(50), BODY_READ_TIMEOUT.plus(MARGIN));
			assertThat(sent).isLessThan(body.length());
			connection.awaitClose(MARGIN);
		}
	}

	@Test
	void bodyReadTimeoutWhenAnAdminApiBodyDripsThenRequestTimeoutAndClosed() throws Exception {
		String json = "{\"username\":\"slow-user\",\"admin\":false}";
		String basic = java.util.Base64.getEncoder()
			.encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		try (RawHttpConnection connection = RawHttpConnection.open(port(gateway))) {
			connection.send("POST /admin/api/users HTTP/1.1\r\nHost: gateway\r\nAuthorization: Basic " + basic
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n");
			connection.drip(json, DRIP_INTERVAL);
			Response response = connection.readResponse();

			assertThat(response.status()).isEqualTo(408);
			assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
			connection.awaitClose(MARGIN);
		}
	}

	/**
	 * Review finding on issue 11: the management port's server also served the token endpoint, and without the
	 * connection limits. It answers the actuator only, with the same limits.
	 */
	@Test
	void managementPortWhenNotTheActuatorThenNotFoundAndSlowHeadsAreCutOffThereToo() throws Exception {
		int management = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.management.port"));
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + management).build();
		client.post()
			.uri("/Api/access_token")
			.contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + SECRET)
			.exchange()
			.expectStatus()
			.isNotFound();
		client.get().uri("/.well-known/jwks.json").exchange().expectStatus().isNotFound();
		client.get().uri("/admin").exchange().expectStatus().isNotFound();
		client.get().uri("/actuator/health").exchange().expectStatus().isOk();

		try (RawHttpConnection connection = RawHttpConnection.open(management)) {
			connection.drip("GET /actuator/health HTTP/1.1\r\nHost: management\r\n\r\n", DRIP_INTERVAL);
			assertThat(connection.readResponse().status()).isEqualTo(408);
		}
	}

	@Test
	void idleTimeoutWhenResponseReadAndClientSilentThenClosed() throws Exception {
		try (RawHttpConnection connection = RawHttpConnection.open(port(gateway))) {
			connection.send(JWKS);
			assertThat(connection.readResponse().status()).isEqualTo(200);
			long answered = System.nanoTime();

			Closed closed = connection.awaitClose(IDLE_TIMEOUT.plus(MARGIN));

			assertThat(closed.received()).as("closed without a 408: the head timer does not run between requests")
				.isEmpty();
			assertThat(closed.since(answered)).isBetween(IDLE_TIMEOUT.minusMillis(500), IDLE_TIMEOUT.plus(MARGIN));
		}
	}

	@Test
	void connectionWhenNothingEverSentThenClosed() throws Exception {
		try (RawHttpConnection connection = RawHttpConnection.open(port(gateway))) {
			Closed closed = connection.awaitClose(IDLE_TIMEOUT.plus(MARGIN));

			// the head timer runs from the accept, so here it is the first to end the connection
			assertThat(closed.received()).satisfiesAnyOf((received) -> assertThat(received).isEmpty(),
					(received) -> assertThat(received).startsWith("HTTP/1.1 408 "));
		}
	}

	@Test
	void headerReadTimeoutWhenKeepAliveRequestsThenEachInTimeAnsweredAndSlowHeadCutOff() throws Exception {
		try (RawHttpConnection connection = RawHttpConnection.open(port(gateway))) {
			connection.send(JWKS);
			assertThat(connection.readResponse().status()).isEqualTo(200);
			// longer than the head timeout, shorter than the idle timeout
			Thread.sleep(HEADER_READ_TIMEOUT.plusMillis(500).toMillis());
			connection.send(JWKS);
			assertThat(connection.readResponse().status()).as("a second request in time").isEqualTo(200);

			long dripStarted = System.nanoTime();
			int sent = connection.drip(JWKS, DRIP_INTERVAL);
			Response response = connection.readResponse();
			Duration answeredAfter = Duration.ofNanos(System.nanoTime() - dripStarted);

			assertThat(response.status()).isEqualTo(408);
			assertThat(answeredAfter).isBetween(HEADER_READ_TIMEOUT.minusMillis(50), HEADER_READ_TIMEOUT.plus(MARGIN));
			assertThat(sent).isLessThan(JWKS.length() / 2);
			assertThat(connection.awaitClose(MARGIN).received()).isEmpty();
		}
	}

	@Test
	void maxConnectionsWhenExceededThenNewConnectionClosedAtOnceAndOthersServed() throws Exception {
		ConfigurableApplicationContext limited = TestGateways.start(List.of("server.port=0", "management.server.port=",
				"portcullis.store=memory", "portcullis.secrets.bcrypt-strength=4",
				"portcullis.server.max-connections=3"));
		List<RawHttpConnection> connections = new ArrayList<>();
		try {
			int port = port(limited);
			for (int i = 0; i < 3; i++) {
				RawHttpConnection connection = RawHttpConnection.open(port);
				connections.add(connection);
				connection.send(JWKS);
				assertThat(connection.readResponse().status()).isEqualTo(200);
			}

			try (RawHttpConnection fourth = RawHttpConnection.open(port)) {
				Closed closed = fourth.awaitClose(Duration.ofSeconds(1));
				assertThat(closed.received()).isEmpty();
			}

			for (RawHttpConnection connection : connections) {
				connection.send(JWKS);
				assertThat(connection.readResponse().status()).as("the first three still served").isEqualTo(200);
			}
			connections.remove(0).close();
			assertThat(answeredOnNewConnection(port, Duration.ofSeconds(5)))
				.as("a place freed by a closed connection is taken again").isEqualTo(200);

			for (RawHttpConnection connection : connections) {
				connection.close();
			}
			ConnectionLimits limits = limited.getBean(ConnectionLimits.class);
			awaitTrue(() -> limits.openConnections() == 0, Duration.ofSeconds(5),
					"every connection counted down once, the refused one included");
		}
		finally {
			for (RawHttpConnection connection : connections) {
				connection.close();
			}
			limited.close();
		}
	}

	@Test
	void headerReadTimeoutWhenUploadStreamsLongerThanItThenEveryByteReachesBackend() throws Exception {
		long size = 100L * 1024 * 1024;
		byte[] chunk = new byte[8 * 1024 * 1024];
		Duration pause = Duration.ofMillis(300);
		String token = token();
		try (RawHttpConnection connection = RawHttpConnection.open(port(gateway))) {
			long started = System.nanoTime();
			connection.send("POST /Api/V8/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
					+ "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n");
			for (long sent = 0; sent < size;) {
				Thread.sleep(pause.toMillis());
				int length = (int) Math.min(chunk.length, size - sent);
				try {
					connection.send(chunk, 0, length);
				}
				catch (IOException ex) {
					throw new AssertionError("The gateway ended the upload after " + sent + " bytes, "
							+ connection.sinceOpened().toMillis() + " ms", ex);
				}
				sent += length;
			}
			Response response = connection.readResponse();
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			assertThat(took).as("the upload lasted").isGreaterThanOrEqualTo(HEADER_READ_TIMEOUT.multipliedBy(2));
			assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
			assertThat(((Number) TestGateways.parse(response.body()).get("bytes")).longValue()).isEqualTo(size);
		}
	}

	/** Opens connections until one is answered (the gateway may not have counted a close yet). */
	private static int answeredOnNewConnection(int port, Duration max) throws Exception {
		long deadline = System.nanoTime() + max.toNanos();
		AssertionError last = null;
		while (System.nanoTime() < deadline) {
			try (RawHttpConnection connection = RawHttpConnection.open(port)) {
				connection.send(JWKS);
				return connection.readResponse().status();
			}
			catch (AssertionError | IOException ex) {
				last = (ex instanceof AssertionError error) ? error : new AssertionError(ex);
			}
			Thread.sleep(50);
		}
		throw (last != null) ? last : new AssertionError("no connection answered within " + max);
	}

	private static void awaitTrue(BooleanSupplier condition, Duration max, String what) throws InterruptedException {
		long deadline = System.nanoTime() + max.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as(what).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private static String token() {
		return TestGateways.clientCredentialsToken(gateway, CLIENT_ID, SECRET);
	}

	private static int port(ConfigurableApplicationContext context) {
		return TestGateways.port(context);
	}

}
