package dev.portcullis.proxy.upstream;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.portcullis.store.inmemory.InMemoryBackendTokenStore;
import dev.portcullis.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UpstreamCredentials} and {@link BackendTokenClient} against a real token endpoint on a loopback port that
 * records what it received and answers league's token response, with the in-memory store and a clock the test moves.
 */
class UpstreamCredentialsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final AtomicInteger issued = new AtomicInteger();

	private volatile int status = 200;

	private final DisposableServer tokenEndpoint = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
			.flatMap((body) -> {
				this.received.add(new Received(request.requestHeaders().get("Content-Type"),
						request.requestHeaders().get("Authorization"), body));
				// a little later than the request, so that concurrent callers are still waiting
				return Mono.delay(Duration.ofMillis(100)).thenReturn(body);
			})
			.flatMap((body) -> response.status(this.status)
				.header("Content-Type", "application/json")
				.sendString(Mono.just((this.status == 200)
						? "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"backend-" + this.issued.incrementAndGet() + "\"}"
						: "{\"error\":\"invalid_client\"}"))
				.then()))
		.bindNow();

	@AfterEach
	void stopTokenEndpoint() {
		this.tokenEndpoint.disposeNow();
	}

	@Test
	void tokenWhenSuiteCrmFormatThenJsonApiBodyWithTheClientInIt() {
		StepVerifier.create(credentials(UpstreamCredential.BodyFormat.SUITECRM, "crm").token("crm"))
			.assertNext((token) -> assertThat(token.value()).isEqualTo("backend-1"))
			.verifyComplete();

		Received request = this.received.get(0);
		assertThat(request.contentType()).isEqualTo("application/vnd.api+json");
		assertThat(request.authorization()).isNull();
		assertThat(JsonMapper.builder().build().readValue(request.body(), Map.class)).isEqualTo(
				Map.of("grant_type", "client_credentials", "client_id", "gateway", "client_secret", "s3cret",
						"scope", ""));
	}

	@Test
	void tokenWhenFormFormatThenRfc6749FormWithBasicAuthentication() {
		StepVerifier.create(credentials(UpstreamCredential.BodyFormat.FORM, "crm").token("crm"))
			.expectNextCount(1)
			.verifyComplete();

		Received request = this.received.get(0);
		assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
		assertThat(request.authorization()).isEqualTo("Basic "
				+ Base64.getEncoder().encodeToString("gateway:s3cret".getBytes(StandardCharsets.UTF_8)));
		assertThat(request.body()).isEqualTo("grant_type=client_credentials");
	}

	@Test
	void tokenWhenManyConcurrentFirstCallersThenOneTokenRequest() {
		UpstreamCredentials credentials = credentials(UpstreamCredential.BodyFormat.SUITECRM, "crm");

		List<BackendToken> tokens = Flux.range(0, 200)
			.flatMap((i) -> credentials.token("crm"), 200)
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(tokens).hasSize(200).extracting(BackendToken::value).containsOnly("backend-1");
		assertThat(this.received).hasSize(1);
		assertThat(this.meters.counter(UpstreamCredentials.FETCHES, "credential", "crm", "outcome", "success").count())
			.isEqualTo(1);
	}

	@Test
	void tokenWhenPastEightyPercentOfItsLifetimeThenStillUsedAndRenewedInTheBackground() {
		UpstreamCredentials credentials = credentials(UpstreamCredential.BodyFormat.SUITECRM, "crm");
		assertThat(credentials.token("crm").block(Duration.ofSeconds(10)).value()).isEqualTo("backend-1");

		this.clock.advance(Duration.ofMinutes(47));
		assertThat(credentials.token("crm").block(Duration.ofSeconds(10)).value()).as("79 %: the same token")
			.isEqualTo("backend-1");
		assertThat(this.received).hasSize(1);

		this.clock.advance(Duration.ofMinutes(2));
		assertThat(credentials.token("crm").block(Duration.ofSeconds(10)).value())
			.as("81 %: still the same token for this caller").isEqualTo("backend-1");
		StepVerifier.create(Mono.defer(() -> credentials.token("crm"))
			.filter((token) -> token.value().equals("backend-2"))
			.repeatWhenEmpty(100, (empties) -> empties.delayElements(Duration.ofMillis(50))))
			.expectNextCount(1)
			.verifyComplete();
		assertThat(this.received).hasSize(2);
	}

	@Test
	void tokenWhenTheEndpointRefusesThenUnavailableAndCounted() {
		this.status = 401;

		StepVerifier.create(credentials(UpstreamCredential.BodyFormat.SUITECRM, "crm").token("crm"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(UpstreamCredentialsUnavailableException.class)
				.hasMessageContaining("answered 401")
				.hasMessageNotContaining("s3cret"))
			.verify();
		assertThat(this.meters.counter(UpstreamCredentials.FETCHES, "credential", "crm", "outcome", "failure").count())
			.isEqualTo(1);
	}

	@Test
	void dropWhenTheBackendRefusedTheTokenThenTheNextCallFetchesANewOne() {
		UpstreamCredentials credentials = credentials(UpstreamCredential.BodyFormat.SUITECRM, "crm");
		BackendToken first = credentials.token("crm").block(Duration.ofSeconds(10));

		credentials.drop("crm", first).block(Duration.ofSeconds(10));

		assertThat(credentials.token("crm").block(Duration.ofSeconds(10)).value()).isEqualTo("backend-2");
	}

	@Test
	void dropWhenAnOlderTokenIsRefusedThenTheNewerOneStays() {
		UpstreamCredentials credentials = credentials(UpstreamCredential.BodyFormat.SUITECRM, "crm");
		BackendToken first = credentials.token("crm").block(Duration.ofSeconds(10));
		credentials.drop("crm", first).block(Duration.ofSeconds(10));
		BackendToken second = credentials.token("crm").block(Duration.ofSeconds(10));

		credentials.drop("crm", first).block(Duration.ofSeconds(10));

		assertThat(credentials.token("crm").block(Duration.ofSeconds(10))).isEqualTo(second);
		assertThat(this.received).hasSize(2);
	}

	private UpstreamCredentials credentials(UpstreamCredential.BodyFormat format, String name) {
		UpstreamCredential credential = new UpstreamCredential(name,
				URI.create("http://127.0.0.1:" + this.tokenEndpoint.port() + "/Api/access_token"), "gateway", "s3cret",
				null, format);
		BackendTokenClient client = new BackendTokenClient(WebClient.builder(), JsonMapper.builder().build(),
				Duration.ofSeconds(5), this.clock);
		return new UpstreamCredentials(Map.of(name, credential), new InMemoryBackendTokenStore(this.clock), client,
				this.clock, this.meters, Duration.ofSeconds(5));
	}

	private record Received(String contentType, String authorization, String body) {
	}

}
