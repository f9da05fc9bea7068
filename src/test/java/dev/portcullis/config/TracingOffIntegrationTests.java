package dev.portcullis.config;

import java.util.List;
import java.util.Map;

import dev.portcullis.web.PortcullisIntegrationTests;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing without an OTLP endpoint (the shared test context sets none): off, with nothing of it in the context, so
 * nothing is recorded or sent and no exporter thread runs; what a caller sends reaches the backend as before.
 */
class TracingOffIntegrationTests extends PortcullisIntegrationTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void contextWhenNoOtlpEndpointThenNoTracerSpanProcessorOrExporter() {
		for (Class<?> type : List.of(Tracer.class, OpenTelemetry.class, SpanProcessor.class, SpanExporter.class,
				LogRecordProcessor.class)) {
			assertThat(this.context.getBeanNamesForType(type)).as(type.getName()).isEmpty();
		}
	}

	@Test
	void proxiedRequestWhenNoOtlpEndpointThenTheBackendGetsNoTraceparentOfTheGateway() {
		String token = clientCredentialsToken();
		String callers = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

		Map<String, List<String>> untraced = backendHeaders(token, null);
		Map<String, List<String>> passedOn = backendHeaders(token, callers);

		assertThat(untraced).doesNotContainKey("traceparent");
		assertThat(passedOn.get("traceparent")).containsExactly(callers);
	}

	@SuppressWarnings("unchecked")
	private Map<String, List<String>> backendHeaders(String token, @Nullable String traceparent) {
		WebTestClient.RequestHeadersSpec<?> request = this.http.get()
			.uri("/Api/V8/module/Accounts")
			.header("Authorization", "Bearer " + token);
		if (traceparent != null) {
			request.header("traceparent", traceparent);
		}
		byte[] body = request.exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
		return (Map<String, List<String>>) parse(body).get("headers");
	}

}
