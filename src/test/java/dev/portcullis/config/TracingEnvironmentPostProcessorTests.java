package dev.portcullis.config;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TracingEnvironmentPostProcessor}.
 */
class TracingEnvironmentPostProcessorTests {

	private static final String OBSERVABILITY = "spring.cloud.gateway.server.webflux.observability.enabled";

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void postProcessEnvironmentWhenNoEndpointThenTracingExcludedAndNoCorrelationIdExpected() {
		process();

		assertThat(excluded()).contains(OpenTelemetryTracingAutoConfiguration.class.getName(),
				OtlpTracingAutoConfiguration.class.getName(), OpenTelemetryLoggingAutoConfiguration.class.getName());
		assertThat(this.environment.getProperty("logging.expect-correlation-id")).isEqualTo("false");
		assertThat(this.environment.getProperty(OBSERVABILITY)).isEqualTo("false");
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isEqualTo("limited");
	}

	@Test
	void postProcessEnvironmentWhenBlankEndpointThenTracingOff() {
		this.environment.setProperty(TracingEnvironmentPostProcessor.ENDPOINT, " ");

		process();

		assertThat(excluded()).contains(OpenTelemetryTracingAutoConfiguration.class.getName());
	}

	@Test
	void postProcessEnvironmentWhenEndpointThenTracingOnWithGatewayObservationAndContextPropagation() {
		this.environment.setProperty(TracingEnvironmentPostProcessor.ENDPOINT, "http://collector:4318/v1/traces");

		process();

		assertThat(excluded()).doesNotContain(OpenTelemetryTracingAutoConfiguration.class.getName(),
				OtlpTracingAutoConfiguration.class.getName())
			.contains(OpenTelemetryLoggingAutoConfiguration.class.getName());
		assertThat(this.environment.getProperty("logging.expect-correlation-id")).isNull();
		assertThat(this.environment.getProperty(OBSERVABILITY)).isEqualTo("true");
		assertThat(this.environment.getProperty("spring.reactor.context-propagation")).isEqualTo("auto");
	}

	@Test
	void postProcessEnvironmentWhenSettingsGivenThenTheyWinOverTheDefaults() {
		this.environment.setProperty(TracingEnvironmentPostProcessor.ENDPOINT, "http://collector:4318/v1/traces");
		this.environment.setProperty(OBSERVABILITY, "false");
		this.environment.setProperty("spring.autoconfigure.exclude", "com.example.Other");

		process();

		assertThat(this.environment.getProperty(OBSERVABILITY)).isEqualTo("false");
		assertThat(excluded()).contains("com.example.Other");
	}

	private void process() {
		new TracingEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
	}

	private List<String> excluded() {
		return Arrays.asList(this.environment.getProperty("spring.autoconfigure.exclude", "").split(","));
	}

}
