package dev.portcullis.config;

import java.util.List;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TracingConfiguration}'s sampler.
 */
class TracingConfigurationTests {

	/** Low 64 bits of 1: below the trace-id ratio sampler's bound at any probability above 0. */
	private static final String CHOSEN_TRACE_ID = "ffffffffffffffff0000000000000001";

	private static final int REQUESTS = 2_000;

	/**
	 * The attack: every request comes with a sampled traceparent whose trace id the trace-id ratio sampler always
	 * keeps. Boot's default sampler records all of them; Portcullis's about the configured 1%.
	 */
	@Test
	void otelSamplerWhenCallersSendSampledTraceparentsWithAChosenTraceIdThenAboutTheConfiguredShareIsSampled() {
		TracingProperties properties = new TracingProperties();
		properties.getSampling().setProbability(0.01f);
		Context callerSampled = Context.root()
			.with(Span.wrap(SpanContext.createFromRemoteParent(CHOSEN_TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(),
					TraceState.getDefault())));

		int sampled = sampledOf(new TracingConfiguration().otelSampler(properties), callerSampled);
		int sampledByBootsDefault = sampledOf(Sampler.parentBased(Sampler.traceIdRatioBased(0.01)), callerSampled);

		assertThat(sampledByBootsDefault).isEqualTo(REQUESTS);
		// 1% of 2,000 is 20; above 100 has a probability far below 1e-30
		assertThat(sampled).isLessThan(100);
	}

	@Test
	void otelSamplerWhenCallerSaysNotSampledThenTheConfiguredProbabilityDecides() {
		TracingProperties properties = new TracingProperties();
		properties.getSampling().setProbability(1.0f);
		Context callerUnsampled = Context.root()
			.with(Span.wrap(SpanContext.createFromRemoteParent(CHOSEN_TRACE_ID, "00f067aa0ba902b7", TraceFlags.getDefault(),
					TraceState.getDefault())));

		assertThat(sampledOf(new TracingConfiguration().otelSampler(properties), callerUnsampled)).isEqualTo(REQUESTS);
	}

	private static int sampledOf(Sampler sampler, Context parent) {
		int sampled = 0;
		for (int i = 0; i < REQUESTS; i++) {
			if (sampler.shouldSample(parent, CHOSEN_TRACE_ID, "http get", SpanKind.SERVER, Attributes.empty(), List.of())
				.getDecision() == SamplingDecision.RECORD_AND_SAMPLE) {
				sampled++;
			}
		}
		return sampled;
	}

}
