package dev.portcullis.oauth2.guard;

import java.time.Duration;

/**
 * The limits on guessing a client secret or a user's password.
 *
 * @param attemptsPerIdentityAndAddress attempts without a success, for one client id or username from one address,
 * before each further attempt blocks that pair for 1 s, 2 s, 4 s … (a hard limit: answered 429 without a hash)
 * @param failuresPerAddress failures from one address, whatever the client id or username, before the address is
 * blocked the same way
 * @param failuresPerIdentityBeforeDelay failures for one client id or username, from any address, before each
 * attempt for it is delayed (never refused: client ids are public, and a lockout would be a denial of service)
 * @param longestIdentityDelay the cap of that delay, which doubles from 100 ms
 * @param longestBlock the cap of the doubling blocks
 * @param window how long counters are kept after their last attempt
 */
public record GuessingLimits(int attemptsPerIdentityAndAddress, int failuresPerAddress,
		int failuresPerIdentityBeforeDelay, Duration longestIdentityDelay, Duration longestBlock, Duration window) {

	private static final Duration FIRST_DELAY = Duration.ofMillis(100);

	/** How long an attempt for an identity with this many recent failures waits first. */
	Duration identityDelay(long failures) {
		if (failures < this.failuresPerIdentityBeforeDelay) {
			return Duration.ZERO;
		}
		Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(failures - this.failuresPerIdentityBeforeDelay, 20));
		return (delay.compareTo(this.longestIdentityDelay) > 0) ? this.longestIdentityDelay : delay;
	}

}
