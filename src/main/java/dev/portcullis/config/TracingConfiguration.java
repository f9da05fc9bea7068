package dev.portcullis.config;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * What Portcullis decides itself once tracing is on ({@link TracingEnvironmentPostProcessor}): which requests are
 * sampled. Boot's tracer, exporter and propagation do the rest.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(TracingConfiguration.TracingOn.class)
class TracingConfiguration {

	/**
	 * A request that comes with a W3C {@code traceparent} continues that trace (its spans carry the caller's trace
	 * id, and so does what the backend receives), but the caller does not decide whether it is sampled: any client
	 * can send {@code traceparent} with the sampled flag, or pick trace ids that Boot's trace-id ratio sampler
	 * always keeps. Such a request is sampled with the configured probability drawn at random, as a new trace is, so
	 * the share of sampled requests, and the cost of recording and exporting them, stays what
	 * {@code management.tracing.sampling.probability} says whatever callers send. Spans within a request follow the
	 * request's decision.
	 */
	@Bean
	Sampler otelSampler(TracingProperties properties) {
		double probability = properties.getSampling().getProbability();
		Sampler callerIndependent = new RandomRatioSampler(probability);
		return Sampler.parentBasedBuilder(Sampler.traceIdRatioBased(probability))
			.setRemoteParentSampled(callerIndependent)
			.setRemoteParentNotSampled(callerIndependent)
			.build();
	}

	/** Samples with a probability, drawn at random for each span, whatever its trace id or parent says. */
	static final class RandomRatioSampler implements Sampler {

		private final double probability;

		RandomRatioSampler(double probability) {
			this.probability = probability;
		}

		@Override
		public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
				Attributes attributes, List<LinkData> parentLinks) {
			return (ThreadLocalRandom.current().nextDouble() < this.probability) ? SamplingResult.recordAndSample()
					: SamplingResult.drop();
		}

		@Override
		public String getDescription() {
			return "RandomRatioSampler{" + this.probability + "}";
		}

	}

	/** Tracing's on-off rule, the one {@link TracingEnvironmentPostProcessor} applies to Boot's configuration. */
	static final class TracingOn implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return TracingEnvironmentPostProcessor.isOn(context.getEnvironment());
		}

	}

	/** Tracing off: the opposite of {@link TracingOn}. */
	static final class TracingOff implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !TracingEnvironmentPostProcessor.isOn(context.getEnvironment());
		}

	}

}
