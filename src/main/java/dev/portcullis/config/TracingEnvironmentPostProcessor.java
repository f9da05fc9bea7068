package dev.portcullis.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Tracing is on when an OTLP endpoint is set ({@value #ENDPOINT}), and off, at today's cost, when none is: spans
 * that go nowhere would cost every request and add threads for nothing.
 * <ul>
 * <li>Off: Boot's tracing and OpenTelemetry auto-configurations are excluded, so there is no tracer, no span
 * processor or exporter thread, no exemplars, and log lines keep their width (no blank correlation id).</li>
 * <li>On, as defaults that a setting overrides: Spring Cloud Gateway's observation of the backend call, which makes it
 * a client span and sends the backend W3C {@code traceparent}; and Reactor's automatic context propagation, which
 * puts the trace id in the log lines of a request on whatever thread they are written.</li>
 * </ul>
 * OpenTelemetry's logging auto-configuration is always excluded: logs go to standard output, Boot ships no appender
 * that would send them over OTLP, and its batch processor would only add an idle thread.
 */
public class TracingEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	private static final List<String> TRACING = List.of(OpenTelemetryTracingAutoConfiguration.class.getName(),
			OtlpTracingAutoConfiguration.class.getName(), OpenTelemetrySdkAutoConfiguration.class.getName(),
			MicrometerTracingAutoConfiguration.class.getName(), NoopTracerAutoConfiguration.class.getName(),
			PrometheusExemplarsAutoConfiguration.class.getName());

	private static final List<String> LOG_EXPORT = List.of(OpenTelemetryLoggingAutoConfiguration.class.getName(),
			OtlpLoggingAutoConfiguration.class.getName());

	/** Whether tracing is on: an OTLP endpoint is set and not blank. */
	static boolean isOn(Environment environment) {
		return Binder.get(environment).bind(ENDPOINT, String.class).map((endpoint) -> !endpoint.isBlank()).orElse(false);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		boolean tracing = isOn(environment);
		List<String> excluded = new ArrayList<>(binder.bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
		excluded.addAll(LOG_EXPORT);
		Map<String, Object> decided = new HashMap<>();
		if (!tracing) {
			excluded.addAll(TRACING);
			// no trace id to expect: Boot would otherwise pad every log line for one
			decided.put("logging.expect-correlation-id", "false");
		}
		decided.put(EXCLUDE, String.join(",", excluded));
		environment.getPropertySources().addFirst(new MapPropertySource("portcullisTracing", decided));
		environment.getPropertySources()
			.addLast(new MapPropertySource("portcullisTracingDefaults",
					Map.of("spring.cloud.gateway.server.webflux.observability.enabled", String.valueOf(tracing),
							"spring.reactor.context-propagation", tracing ? "auto" : "limited")));
	}

}
