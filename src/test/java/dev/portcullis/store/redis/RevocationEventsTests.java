package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RevocationEvents} without Redis: what it makes of a message, and the name Prometheus shows.
 */
class RevocationEventsTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	// never started: the events are fed by hand
	private final RevocationEvents events = new RevocationEvents(new LettuceConnectionFactory(),
			new RedisKeys("ns"), LocalRevocationView.disabled(), this.registry, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void recordWhenJtiAndTimeThenLagTimedAndScrapedAsSeconds() {
		this.events.record("some-jti " + (NOW.toEpochMilli() - 40));

		var timer = this.registry.get(RevocationEvents.TIMER).timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
		assertThat(this.registry.scrape()).contains("portcullis_revocation_propagation_seconds_count 1");
	}

	@Test
	void recordWhenPublishedInTheFutureThenZeroNotNegative() {
		this.events.record("some-jti " + (NOW.toEpochMilli() + 1000));

		assertThat(this.registry.get(RevocationEvents.TIMER).timer().totalTime(TimeUnit.MILLISECONDS)).isZero();
	}

	@Test
	void recordWhenNoTimeThenIgnored() {
		this.events.record("some-jti");
		this.events.record("some-jti not-a-number");

		assertThat(this.registry.get(RevocationEvents.TIMER).timer().count()).isZero();
	}

	@Test
	void recordWhenSigningKeysChangedThenListenerToldAndNotTimedAsARevocation() {
		java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
		this.events.onSigningKeysChanged(told::incrementAndGet);

		this.events.record(RedisKeys.signingKeysChanged(7, NOW.toEpochMilli()));
		this.events.record("some-jti " + NOW.toEpochMilli());

		assertThat(told).hasValue(1);
		assertThat(this.registry.get(RevocationEvents.TIMER).timer().count()).isEqualTo(1);
	}

}
