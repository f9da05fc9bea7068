package dev.portcullis.config;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.OtlpReceiver;
import dev.portcullis.support.TestGateways;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Hooks;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing over real HTTP: gateways (memory store) whose OTLP endpoint is a real receiver on a loopback port, in
 * front of a backend that reports the headers it received. One samples every request, the other none (probability
 * 0), for the caller who tries to have its requests sampled anyway.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingIntegrationTests {

	private static final String CLIENT_ID = "tracing-client";

	private static final String SECRET = "tracing-secret";

	private static final String ACCOUNTS = "/Api/V8/module/Accounts";

	/** version 00, trace id, parent span id, flags: the W3C traceparent (https://www.w3.org/TR/trace-context/). */
	private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])");

	/** Boot's correlation id in a log line: [trace id-span id]. */
	private static final Pattern CORRELATION_ID = Pattern.compile("\\[([0-9a-f]{32})-([0-9a-f]{16})\\]");

	private static EchoUpstream upstream;

	private static OtlpReceiver receiver;

	private static OtlpReceiver unsampledReceiver;

	private static ConfigurableApplicationContext gateway;

	private static ConfigurableApplicationContext unsampledGateway;

	@BeforeAll
	static void startGateways() {
		upstream = new EchoUpstream();
		receiver = new OtlpReceiver();
		unsampledReceiver = new OtlpReceiver();
		gateway = TestGateways.start(properties(receiver, "1.0"));
		unsampledGateway = TestGateways.start(properties(unsampledReceiver, "0.0"));
	}

	private static List<String> properties(OtlpReceiver receiver, String probability) {
		return List.of("server.port=0", "portcullis.store=memory", "portcullis.upstream.uri=" + upstream.uri(),
				"portcullis.secrets.bcrypt-strength=4", "portcullis.bootstrap.clients[0].id=" + CLIENT_ID,
				"portcullis.bootstrap.clients[0].name=Tracing test", "portcullis.bootstrap.clients[0].secret=" + SECRET,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"management.opentelemetry.tracing.export.otlp.endpoint=" + receiver.tracesEndpoint(),
				"management.tracing.sampling.probability=" + probability,
				// export within a tenth of a second, not Boot's 5 s
				"management.opentelemetry.tracing.export.schedule-delay=100ms");
	}

	@AfterAll
	static void stopGateways() {
		// tracing turned Reactor's automatic context propagation on (spring.reactor.context-propagation=auto), a hook
		// of the whole JVM: the test classes after this one run without it, as their gateways do
		Hooks.disableAutomaticContextPropagation();
		for (AutoCloseable closeable : new AutoCloseable[] { gateway, unsampledGateway, receiver, unsampledReceiver,
				upstream }) {
			if (closeable != null) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	@Test
	void proxiedRequestWhenTracingIsOnThenTheBackendReceivesTheTraceparentOfAnExportedSpan() {
		String token = TestGateways.clientCredentialsToken(gateway, CLIENT_ID, SECRET);

		Matcher traceparent = traceparentAtBackend(gateway, token, null);

		assertThat(traceparent.group(3)).as("sampled flag").isEqualTo("01");
		String traceId = traceparent.group(1);
		String parentSpanId = traceparent.group(2);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(receiver.exported(traceId) && receiver.exported(parentSpanId))
				.as("trace %s and the backend's parent span %s exported", traceId, parentSpanId)
				.isTrue());
	}

	@Test
	void proxiedRequestWhenTheCallerSendsATraceparentThenItsTraceIsContinued() {
		String token = TestGateways.clientCredentialsToken(gateway, CLIENT_ID, SECRET);
		String callerTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		String callerSpanId = "00f067aa0ba902b7";

		Matcher traceparent = traceparentAtBackend(gateway, token, "00-" + callerTraceId + "-" + callerSpanId + "-01");

		assertThat(traceparent.group(1)).isEqualTo(callerTraceId);
		assertThat(traceparent.group(2)).as("the gateway's own span, the caller's as its parent").isNotEqualTo(callerSpanId);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(receiver.exported(callerTraceId) && receiver.exported(callerSpanId)).isTrue());
	}

	@Test
	void tokenRequestWhenTracingIsOnThenItsSpanIsExportedAndItsLogLineCarriesItsTraceId(CapturedOutput output) {
		String jti = jti(TestGateways.clientCredentialsToken(gateway, CLIENT_ID, SECRET));

		// written on the thread that signed the token, not the one that received the request
		String line = output.getOut().lines().filter((l) -> l.contains("token issued") && l.contains("jti=" + jti))
			.findFirst()
			.orElseThrow();
		Matcher correlation = CORRELATION_ID.matcher(line);
		assertThat(correlation.find()).as("trace and span id in: %s", line).isTrue();
		String traceId = correlation.group(1);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiver.exported(traceId)).isTrue());
	}

	@Test
	void revocationRequestWhenTheCallerSendsATraceparentThenItsSpanContinuesThatTrace() {
		String callerTraceId = "0af7651916cd43dd8448eb211c80319c";

		TestGateways.client(gateway)
			.post()
			.uri("/oauth2/revoke")
			.header("traceparent", "00-" + callerTraceId + "-b7ad6b7169203331-00")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=unknown&client_id=" + CLIENT_ID + "&client_secret=" + SECRET)
			.exchange()
			.expectStatus()
			.isOk();

		// the caller's "not sampled" does not stop it either: sampling is the gateway's decision
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(receiver.exported(callerTraceId)).isTrue());
	}

	/**
	 * The attack: a caller sends traceparent with the sampled flag, and a trace id whose low 64 bits are 1, which
	 * the trace-id ratio sampler keeps at any probability above 0, to have every request recorded and exported.
	 */
	@Test
	void proxiedRequestWhenACallerAsksForSamplingThenTheConfiguredProbabilityStillDecides() {
		String token = TestGateways.clientCredentialsToken(unsampledGateway, CLIENT_ID, SECRET);
		String callerTraceId = "ffffffffffffffff0000000000000001";

		for (int i = 0; i < 10; i++) {
			Matcher traceparent = traceparentAtBackend(unsampledGateway, token,
					"00-" + callerTraceId + "-00f067aa0ba902b7-01");

			assertThat(traceparent.group(1)).isEqualTo(callerTraceId);
			assertThat(traceparent.group(3)).as("sampled flag the backend receives").isEqualTo("00");
		}
		unsampledGateway.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		assertThat(unsampledReceiver.exportCount()).isZero();
	}

	/** The traceparent the backend received for a proxied GET, asserting there is exactly one. */
	private static Matcher traceparentAtBackend(ConfigurableApplicationContext gateway, String token,
			@Nullable String callerTraceparent) {
		WebTestClient.RequestHeadersSpec<?> request = TestGateways.client(gateway)
			.get()
			.uri(ACCOUNTS)
			.header("Authorization", "Bearer " + token);
		Optional.ofNullable(callerTraceparent).ifPresent((value) -> request.header("traceparent", value));
		byte[] body = request.exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
		@SuppressWarnings("unchecked")
		Map<String, List<String>> headers = (Map<String, List<String>>) TestGateways.parse(body).get("headers");
		assertThat(headers.get("traceparent")).hasSize(1);
		Matcher traceparent = TRACEPARENT.matcher(headers.get("traceparent").get(0));
		assertThat(traceparent.matches()).as(headers.get("traceparent").get(0)).isTrue();
		return traceparent;
	}

	private static String jti(String accessToken) {
		return (String) TestGateways.parse(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1])).get("jti");
	}

}
