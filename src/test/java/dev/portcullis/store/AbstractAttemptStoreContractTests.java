package dev.portcullis.store;

import dev.portcullis.oauth2.store.AttemptStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.portcullis.oauth2.store.AttemptStore.AttemptCount;
import dev.portcullis.oauth2.store.AttemptStore.AttemptRule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link AttemptStore} contract: counting, the doubling block from the limit on, refusals that count nothing,
 * forgetting, and exact counting under concurrency. Times are passed in; a Redis implementation also expires keys
 * by real time, so the window test waits for real.
 */
public abstract class AbstractAttemptStoreContractTests {

	private static final AttemptRule RULE = new AttemptRule(3, Duration.ofMinutes(15), Duration.ofSeconds(30));

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final Instant start = Instant.parse("2026-12-03T12:00:00Z");

	private AttemptStore store;

	protected abstract AttemptStore createStore();

	@BeforeEach
	void setUp() {
		this.store = createStore();
	}

	@Test
	void recordWhenBelowTheLimitThenCountedAndNotBlocked() {
		AttemptCount first = record("client:a|10.0.0.1", this.start);
		AttemptCount second = record("client:a|10.0.0.1", this.start);

		assertThat(first).isEqualTo(new AttemptCount(true, 1, Instant.EPOCH));
		assertThat(second.counted()).isTrue();
		assertThat(second.count()).isEqualTo(2);
		assertThat(second.isBlocked(this.start)).isFalse();
	}

	@Test
	void recordWhenTheLimitIsReachedThenBlocksOfOneTwoFourSecondsUpToTheLongest() {
		String key = "user:alice|10.0.0.1";
		record(key, this.start);
		record(key, this.start);

		AttemptCount third = record(key, this.start);
		assertThat(third.counted()).isTrue();
		assertThat(third.blockedUntil()).isEqualTo(this.start.plusSeconds(1));

		AttemptCount refused = record(key, this.start.plusMillis(500));
		assertThat(refused).isEqualTo(new AttemptCount(false, 3, this.start.plusSeconds(1)));

		Instant now = this.start.plusSeconds(1);
		for (long expected : new long[] { 2, 4, 8, 16, 30, 30 }) {
			AttemptCount counted = record(key, now);
			assertThat(counted.counted()).isTrue();
			assertThat(counted.blockedUntil()).isEqualTo(now.plusSeconds(expected));
			now = counted.blockedUntil();
		}
		assertThat(this.store.find(key, now).block(WAIT).count()).isEqualTo(9);
	}

	@Test
	void findWhenNeverCountedThenNothingAndWhenCountedThenTheState() {
		assertThat(this.store.find("address:10.0.0.9", this.start).block(WAIT)).isEqualTo(AttemptCount.NONE);

		record("address:10.0.0.9", this.start);
		record("address:10.0.0.9", this.start);
		AttemptCount blocking = record("address:10.0.0.9", this.start);

		AttemptCount found = this.store.find("address:10.0.0.9", this.start).block(WAIT);
		assertThat(found.count()).isEqualTo(3);
		assertThat(found.blockedUntil()).isEqualTo(blocking.blockedUntil());
		assertThat(found.isBlocked(this.start)).isTrue();
	}

	@Test
	void clearWhenCountedThenForgotten() {
		record("client:b|10.0.0.1", this.start);
		record("client:b|10.0.0.1", this.start);

		this.store.clear("client:b|10.0.0.1").block(WAIT);

		assertThat(this.store.find("client:b|10.0.0.1", this.start).block(WAIT)).isEqualTo(AttemptCount.NONE);
		assertThat(record("client:b|10.0.0.1", this.start).count()).isEqualTo(1);
	}

	@Test
	void recordWhenManyConcurrentAttemptsThenExactlyTheLimitCounted() {
		String key = "client:c|10.0.0.1";

		List<AttemptCount> results = Flux.range(0, 50)
			.parallel(8)
			.runOn(Schedulers.boundedElastic())
			.flatMap((i) -> this.store.record(key, RULE, this.start))
			.sequential()
			.collectList()
			.block(WAIT);

		assertThat(results).filteredOn(AttemptCount::counted).hasSize(3);
		assertThat(this.store.find(key, this.start).block(WAIT).count()).isEqualTo(3);
	}

	@Test
	void recordWhenTheWindowHasPassedThenCountedAfresh() throws InterruptedException {
		AttemptRule shortWindow = new AttemptRule(10, Duration.ofMillis(300), Duration.ofSeconds(30));
		this.store.record("client:d|10.0.0.1", shortWindow, this.start).block(WAIT);
		this.store.record("client:d|10.0.0.1", shortWindow, this.start).block(WAIT);

		Thread.sleep(500);
		Instant later = this.start.plusMillis(500);

		assertThat(this.store.find("client:d|10.0.0.1", later).block(WAIT)).isEqualTo(AttemptCount.NONE);
		assertThat(this.store.record("client:d|10.0.0.1", shortWindow, later).block(WAIT).count()).isEqualTo(1);
	}

	@Test
	void recordWhenKeysCarryBracesAndAreLongThenKeptApart() {
		String braces = "client:}{x|10.0.0.1";
		String long1 = "user:" + "a".repeat(10_000) + "|10.0.0.1";

		record(braces, this.start);
		record(long1, this.start);
		record(long1, this.start);

		assertThat(this.store.find(braces, this.start).block(WAIT).count()).isEqualTo(1);
		assertThat(this.store.find(long1, this.start).block(WAIT).count()).isEqualTo(2);
	}

	private AttemptCount record(String key, Instant now) {
		return this.store.record(key, RULE, now).block(WAIT);
	}

}
