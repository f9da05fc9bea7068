package dev.portcullis.store;

import dev.portcullis.oauth2.store.AuditLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import dev.portcullis.oauth2.AuditEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The behaviour every {@link AuditLog} must have. Subclasses only provide a fresh, empty log; the capacity is a
 * parameter so that dropping the oldest events can be checked without appending {@link AuditLog#CAPACITY} of them.
 */
public abstract class AbstractAuditLogContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int CAPACITY = 20;

	/** A new log that holds no event and keeps {@code capacity} of them. */
	protected abstract AuditLog createLog(int capacity);

	@Test
	void recentWhenAppendedThenNewestFirst() {
		AuditLog log = createLog(CAPACITY);
		List<AuditEvent> events = appendEvents(log, 3);

		StepVerifier.create(log.recent(0, 10))
			.expectNext(events.get(2), events.get(1), events.get(0))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void recentWhenNoneThenEmpty() {
		StepVerifier.create(createLog(CAPACITY).recent(0, 10)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void recentWhenOffsetAndLimitThenThatPage() {
		AuditLog log = createLog(CAPACITY);
		List<AuditEvent> events = appendEvents(log, 5);

		StepVerifier.create(log.recent(1, 2)).expectNext(events.get(3), events.get(2)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(log.recent(4, 5)).expectNext(events.get(0)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(log.recent(5, 5)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void recentWhenLimitZeroThenEmpty() {
		AuditLog log = createLog(CAPACITY);
		appendEvents(log, 3);

		StepVerifier.create(log.recent(0, 0)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void recentWhenOffsetOrLimitNegativeThenIllegalArgumentException() {
		AuditLog log = createLog(CAPACITY);

		StepVerifier.create(log.recent(-1, 10)).expectError(IllegalArgumentException.class).verify(TIMEOUT);
		StepVerifier.create(log.recent(0, -1)).expectError(IllegalArgumentException.class).verify(TIMEOUT);
	}

	@Test
	void appendWhenPastCapacityThenOldestDropped() {
		AuditLog log = createLog(CAPACITY);
		List<AuditEvent> events = appendEvents(log, CAPACITY + 5);

		List<AuditEvent> newestFirst = IntStream.range(0, CAPACITY)
			.mapToObj((i) -> events.get(CAPACITY + 4 - i))
			.toList();
		StepVerifier.create(log.recent(0, CAPACITY + 5).collectList())
			.expectNext(newestFirst)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void countWhenAppendedThenHowManyAreKept() {
		AuditLog log = createLog(CAPACITY);
		StepVerifier.create(log.count()).expectNext(0L).expectComplete().verify(TIMEOUT);

		appendEvents(log, 3);
		StepVerifier.create(log.count()).expectNext(3L).expectComplete().verify(TIMEOUT);

		appendEvents(log, CAPACITY);
		StepVerifier.create(log.count()).as("the oldest dropped").expectNext((long) CAPACITY).expectComplete()
			.verify(TIMEOUT);
	}

	/** Appends {@code count} events one after the other, oldest first, and returns them in that order. */
	private static List<AuditEvent> appendEvents(AuditLog log, int count) {
		List<AuditEvent> events = IntStream.range(0, count).mapToObj(AbstractAuditLogContractTests::event).toList();
		Flux.fromIterable(events).concatMap(log::append).then().block(TIMEOUT);
		return events;
	}

	private static AuditEvent event(int i) {
		return new AuditEvent(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "admin-1", "client.updated",
				"client-" + i, "event " + i);
	}

}
