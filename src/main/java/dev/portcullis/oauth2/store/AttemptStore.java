package dev.portcullis.oauth2.store;

import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * Counters of credential attempts, shared by every replica, so that guessing is limited however many replicas the
 * guesses are spread over. A counter is known by a key its caller chooses (a client id or username, an address, or
 * both); it is forgotten {@link AttemptRule#window()} after its last attempt, and a blocked counter answers every
 * attempt with the time the block ends, without counting it.
 */
public interface AttemptStore {

	/**
	 * Counts an attempt under the key, unless the key is blocked now (then emits the refusal and counts nothing).
	 * Once the count reaches {@link AttemptRule#limit()}, each attempt counted blocks the key for 1 s, 2 s, 4 s …
	 * up to {@link AttemptRule#longestBlock()}, so attempts beyond the limit are serialised and slowed.
	 */
	Mono<AttemptCount> record(String key, AttemptRule rule, Instant now);

	/** The key's count and block as they are, counting nothing; zero for a key never counted or forgotten. */
	Mono<AttemptCount> find(String key, Instant now);

	/** Forgets the key (a success). */
	Mono<Void> clear(String key);

	/**
	 * How a counter behaves.
	 * @param limit the count from which every counted attempt blocks the key
	 * @param window how long a counter is kept after its last attempt
	 * @param longestBlock the cap of the doubling block
	 */
	record AttemptRule(long limit, Duration window, Duration longestBlock) {

		/** How long the attempt that brought the count to {@code count} blocks the key: 0 below the limit. */
		public Duration blockAfter(long count) {
			if (count < this.limit) {
				return Duration.ZERO;
			}
			long doublings = Math.min(count - this.limit, 30);
			Duration block = Duration.ofSeconds(1L << doublings);
			return (block.compareTo(this.longestBlock) > 0) ? this.longestBlock : block;
		}

	}

	/**
	 * A counter's state after {@link #record} or {@link #find}.
	 * @param counted whether the attempt was counted ({@code false}: refused, the key was blocked)
	 * @param count the attempts counted within the window
	 * @param blockedUntil until when the key refuses attempts ({@link Instant#EPOCH} when it never did)
	 */
	record AttemptCount(boolean counted, long count, Instant blockedUntil) {

		public static final AttemptCount NONE = new AttemptCount(true, 0, Instant.EPOCH);

		public boolean isBlocked(Instant now) {
			return now.isBefore(this.blockedUntil);
		}

	}

}
