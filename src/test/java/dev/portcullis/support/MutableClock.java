package dev.portcullis.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests move by hand, so that expiry is tested without waiting. It is thread-safe because the
 * stores read it from Reactor's threads.
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> instant;

	public MutableClock(Instant start) {
		this.instant = new AtomicReference<>(start);
	}

	/** Moves the clock forward. */
	public void advance(Duration duration) {
		this.instant.updateAndGet((now) -> now.plus(duration));
	}

	@Override
	public Instant instant() {
		return this.instant.get();
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A test clock stays in UTC");
	}

}
