package dev.portcullis.web.authorize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing on the login page: after a few failures for the same username or from the same
 * address, each further attempt waits, doubling up to a cap, until a success or a quiet period clears the count.
 * Kept per replica: it bounds the guessing rate of one attacker per replica, which is what it is for.
 */
public final class LoginThrottle {

	/** Failures allowed before attempts are slowed. */
	static final int FREE_FAILURES = 3;

	static final Duration MAX_DELAY = Duration.ofSeconds(30);

	/** Failures older than this are forgotten. */
	static final Duration WINDOW = Duration.ofMinutes(15);

	private static final int MAX_TRACKED = 100_000;

	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	private final Clock clock;

	public LoginThrottle(Clock clock) {
		this.clock = clock;
	}

	/** How long an attempt for this username from this address must wait first. */
	public Duration delayFor(String username, String address) {
		int count = Math.max(count(userKey(username)), count(addressKey(address)));
		if (count < FREE_FAILURES) {
			return Duration.ZERO;
		}
		long seconds = 1L << Math.min(count - FREE_FAILURES, 5);
		Duration delay = Duration.ofSeconds(seconds);
		return (delay.compareTo(MAX_DELAY) > 0) ? MAX_DELAY : delay;
	}

	public void recordFailure(String username, String address) {
		if (this.failures.size() > MAX_TRACKED) {
			this.failures.clear();
		}
		Instant now = this.clock.instant();
		for (String key : new String[] { userKey(username), addressKey(address) }) {
			this.failures.merge(key, new Failures(1, now),
					(old, one) -> old.isStale(now) ? one : new Failures(old.count() + 1, now));
		}
	}

	public void recordSuccess(String username) {
		this.failures.remove(userKey(username));
	}

	private int count(String key) {
		Failures entry = this.failures.get(key);
		return (entry == null || entry.isStale(this.clock.instant())) ? 0 : entry.count();
	}

	private static String userKey(String username) {
		return "user:" + username.toLowerCase(Locale.ROOT);
	}

	private static String addressKey(String address) {
		return "address:" + address;
	}

	private record Failures(int count, Instant last) {

		boolean isStale(Instant now) {
			return this.last.plus(WINDOW).isBefore(now);
		}

	}

}
