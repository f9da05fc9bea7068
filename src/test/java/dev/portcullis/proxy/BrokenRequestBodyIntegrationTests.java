package dev.portcullis.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.portcullis.support.RawHttp;
import dev.portcullis.support.RawUpstream;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client with a valid token sends a chunked body that breaks half-way (issue 11): the backend must see the request
 * aborted, never a well-terminated request with a truncated body that it would act on. The backend records the
 * raw bytes of every request and whether it arrived whole.
 */
class BrokenRequestBodyIntegrationTests {

	private static RawUpstream upstream;

	private static ConfigurableApplicationContext gateway;

	private static String token;

	@BeforeAll
	static void start() {
		upstream = new RawUpstream();
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.secrets.bcrypt-strength=4", "portcullis.upstream.uri=" + upstream.uri(),
				"portcullis.bootstrap.clients[0].id=body-client", "portcullis.bootstrap.clients[0].name=Body client",
				"portcullis.bootstrap.clients[0].secret=body-client-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials"));
		token = TestGateways.clientCredentialsToken(gateway, "body-client", "body-client-secret");
	}

	@AfterAll
	static void stop() throws IOException {
		if (gateway != null) {
			gateway.close();
		}
		if (upstream != null) {
			upstream.close();
		}
	}

	@Test
	void proxyWhenChunkedBodyBreaksHalfWayThenBackendSeesTheRequestAborted() throws Exception {
		int before = upstream.received().size();

		String answer = sendInTwoParts("5\r\nhello\r\n", "zz\r\nnot a chunk\r\n0\r\n\r\n");

		List<RawUpstream.Received> received = upstream.awaitReceived(before + 1, Duration.ofSeconds(10));
		assertThat(received).as("the request reached the backend before the body broke").hasSize(before + 1);
		RawUpstream.Received request = received.get(before);
		assertThat(request.bytes()).startsWith("POST /Api/V8/module");
		assertThat(request.whole()).as("what the backend received: %s", request.bytes()).isFalse();
		assertThat(answer).as("the client is told its request was bad").startsWith("HTTP/1.1 400");
	}

	@Test
	void proxyWhenChunkedBodyIsWholeThenBackendGetsItWhole() throws Exception {
		int before = upstream.received().size();

		String answer = sendInTwoParts("5\r\nhello\r\n", "6\r\n world\r\n0\r\n\r\n");

		List<RawUpstream.Received> received = upstream.awaitReceived(before + 1, Duration.ofSeconds(10));
		assertThat(received.get(before).whole()).isTrue();
		assertThat(received.get(before).bytes()).contains("hello").contains(" world");
		assertThat(answer).startsWith("HTTP/1.1 200");
	}

	/** The head and a first chunk, then, once the backend has them, the rest; the answer as text. */
	private static String sendInTwoParts(String firstChunk, String rest) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", TestGateways.port(gateway))) {
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			out.write((RawHttp.head("POST /Api/V8/module HTTP/1.1", "Host: gateway", "Authorization: Bearer " + token,
					"Content-Type: application/vnd.api+json", "Transfer-Encoding: chunked", "Connection: close")
					+ firstChunk).getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Thread.sleep(500);
			out.write(rest.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			try {
				return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			}
			catch (java.net.SocketException reset) {
				return "(connection reset)";
			}
		}
	}

}
