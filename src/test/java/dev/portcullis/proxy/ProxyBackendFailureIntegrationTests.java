package dev.portcullis.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.portcullis.web.PortcullisIntegrationTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend that is slow or down gets a prompt JSON answer, never a hang, and the gateway stays healthy; the
 * backend's own 4xx and 5xx pass through untouched. The base context sets the response timeout to 2 s and has a
 * {@code down} route to a port where nothing listens.
 */
class ProxyBackendFailureIntegrationTests extends PortcullisIntegrationTests {

	@Test
	void slowBackendWhenNoAnswerWithinResponseTimeoutThen504UpstreamTimeoutJson() {
		String token = clientCredentialsToken();

		long started = System.nanoTime();
		EntityExchangeResult<byte[]> result = this.http.get()
			.uri("/Api/V8/slow/5000")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.isEqualTo(504)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

		System.out.println("504 for a backend that answers in 5 s, after " + elapsed.toMillis() + " ms");
		assertThat(elapsed).as("the 2 s response timeout, not the backend's 5 s")
			.isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
		assertThat(parse(result.getResponseBody())).containsEntry("error", "upstream_timeout")
			.containsKeys("error_description", "message");
		assertStillHealthy(token);
	}

	@Test
	void deadBackendWhenConnectionRefusedThenPrompt502BadGatewayJson() {
		String token = clientCredentialsToken();

		long started = System.nanoTime();
		EntityExchangeResult<byte[]> result = this.http.get()
			.uri("/Api/down/x")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

		System.out.println("502 for a closed backend port after " + elapsed.toMillis() + " ms");
		assertThat(elapsed).as("a refused connection is answered at once, not after the 2 s connect timeout")
			.isLessThan(Duration.ofMillis(1500));
		assertThat(parse(result.getResponseBody())).containsEntry("error", "bad_gateway")
			.containsKeys("error_description", "message");
		assertStillHealthy(token);
	}

	@Test
	void slowUploadWhenLongerThanResponseTimeoutThenPassesBecauseTheBackendIsTimedFromTheEndOfTheRequest() {
		String token = clientCredentialsToken();
		// 10 MiB sent over about 3 s: longer than the 2 s response timeout, while the backend reads along
		int chunks = 160;
		byte[] chunk = new byte[64 * 1024];
		Flux<DataBuffer> body = Flux.range(0, chunks)
			.delayElements(Duration.ofMillis(20))
			.map((i) -> DefaultDataBufferFactory.sharedInstance.wrap(chunk));

		long started = System.nanoTime();
		EntityExchangeResult<byte[]> result = this.http.post()
			.uri("/Api/V8/upload")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(body, DataBuffer.class)
			.exchange()
			.expectBody()
			.returnResult();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

		System.out.println("10 MiB upload over " + elapsed.toMillis() + " ms answered " + result.getStatus());
		assertThat(result.getStatus().value()).as("answered after %d ms: %s", elapsed.toMillis(),
				new String(Objects.requireNonNullElse(result.getResponseBody(), new byte[0]), StandardCharsets.UTF_8))
			.isEqualTo(200);
		assertThat(parse(result.getResponseBody())).containsEntry("bytes", chunks * chunk.length);
		assertThat(elapsed).as("the upload itself took longer than the response timeout")
			.isGreaterThan(Duration.ofMillis(2500));
	}

	@ParameterizedTest(name = "backend {0}")
	@ValueSource(ints = { 404, 500, 422 })
	void backendErrorStatusThenPassedThroughWithItsBody(int status) {
		String token = clientCredentialsToken();

		EntityExchangeResult<String> result = this.http.get()
			.uri("/Api/V8/status/" + status)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType("application/vnd.api+json")
			.expectBody(String.class)
			.returnResult();

		assertThat(result.getResponseBody())
			.isEqualTo("{\"errors\":{\"status\":" + status + ",\"title\":null,\"detail\":\"from upstream\"}}");
		assertStillHealthy(token);
	}

	@Test
	void slowBackendWhenSeveralRequestsWaitThenGatewayKeepsAnsweringOthersMeanwhile() throws InterruptedException {
		String token = clientCredentialsToken();
		WebTestClient client = this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build();

		// four requests wait on the slow backend while the gateway serves health checks and other requests
		long before = UPSTREAM.requestCount();
		List<Mono<Integer>> slow = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			slow.add(Mono.fromCallable(() -> client.get()
				.uri("/Api/V8/slow/5000")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.exchange()
				.expectBody()
				.returnResult()
				.getStatus()
				.value()).subscribeOn(Schedulers.boundedElastic()));
		}
		long started = System.nanoTime();
		Mono<List<Integer>> statuses = Flux.merge(slow).collectList().cache();
		statuses.subscribe();
		awaitBackendRequests(before + 4);

		long healthStarted = System.nanoTime();
		assertStillHealthy(token);
		Duration healthElapsed = Duration.ofNanos(System.nanoTime() - healthStarted);

		List<Integer> answered = statuses.block(Duration.ofSeconds(10));
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		System.out.println("4 concurrent slow requests answered " + answered + " after " + elapsed.toMillis()
				+ " ms; health and a normal request meanwhile in " + healthElapsed.toMillis() + " ms");
		assertThat(answered).containsExactly(504, 504, 504, 504);
		assertThat(elapsed).isLessThan(Duration.ofSeconds(4));
		assertThat(healthElapsed).as("not stuck behind the slow requests").isLessThan(Duration.ofMillis(1500));
	}

	private static void awaitBackendRequests(long count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		while (UPSTREAM.requestCount() < count) {
			assertThat(System.nanoTime()).as("the slow requests reached the backend within 2 s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	/** Health is UP and an ordinary proxied request is answered by the backend. */
	private void assertStillHealthy(String token) {
		Map<String, Object> health = parse(management().get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(health).containsEntry("status", "UP");
		Map<String, Object> echo = parse(this.http.get()
			.uri("/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(echo).containsEntry("method", "GET").containsEntry("path", "/Api/V8/module/Accounts");
	}

}
