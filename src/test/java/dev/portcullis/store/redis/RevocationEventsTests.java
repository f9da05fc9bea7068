package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.ReactiveSubscription.ChannelMessage;
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
			new RedisKeys("ns"), this.registry, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void recordWhenJtiAndTimeThenLagTimedAndScrapedAsSeconds() {
		this.events.record(message("some-jti " + (NOW.toEpochMilli() - 40)));

		var timer = this.registry.get(RevocationEvents.TIMER).timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
		assertThat(this.registry.scrape()).contains("portcullis_revocation_propagation_seconds_count 1");
	}

	@Test
	void recordWhenPublishedInTheFutureThenZeroNotNegative() {
		this.events.record(message("some-jti " + (NOW.toEpochMilli() + 1000)));

		assertThat(this.registry.get(RevocationEvents.TIMER).timer().totalTime(TimeUnit.MILLISECONDS)).isZero();
	}

	@Test
	void recordWhenNoTimeThenIgnored() {
		this.events.record(message("some-jti"));
		this.events.record(message("some-jti not-a-number"));

		assertThat(this.registry.get(RevocationEvents.TIMER).timer().count()).isZero();
	}

	private static ChannelMessage<String, String> message(String body) {
		return new ChannelMessage<>("ns:revocations", body);
	}

}
