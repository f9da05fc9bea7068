package dev.portcullis.oauth2.guard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.store.AttemptStore.AttemptCount;
import dev.portcullis.oauth2.store.AttemptStore.AttemptRule;
import dev.portcullis.oauth2.store.AttemptStore;
import dev.portcullis.support.LogSafe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Slows down guessing of client secrets and passwords, with counters in the store so that every replica sees every
 * attempt. Before a credential check runs:
 * <ul>
 * <li>a client id or username guessed from one address is counted per attempt (successes forget it), and from
 * {@link GuessingLimits#attemptsPerIdentityAndAddress()} on each attempt blocks the pair for a doubling time:
 * attempts meanwhile, concurrent ones included, are refused at once, 429, without spending a hash;</li>
 * <li>an address with {@link GuessingLimits#failuresPerAddress()} failures, over any ids, is blocked the same way;</li>
 * <li>an id with many failures from anywhere only waits a little (capped) before its check: a distributed guesser
 * is slowed, the real owner is never locked out.</li>
 * </ul>
 * The address comes from the Reactor context ({@link ClientAddress}). Unknown ids are guarded exactly like known
 * ones, so a refusal reveals nothing about which exist.
 *
 * <p>A block this replica learned from the store is remembered here until it ends (blocks only ever grow), so a
 * flood from a blocked address or pair is refused without asking the store again: a refusal costs no round trip.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-10.10">RFC 6749 §10.10</a>
 */
public final class GuessingGuard {

	private static final Logger logger = LoggerFactory.getLogger(GuessingGuard.class);

	/** Bounds the memory of the blocks this replica knows; past it, ended ones go first, then all. */
	private static final int MAX_KNOWN_BLOCKS = 100_000;

	private final AttemptStore attempts;

	private final GuessingLimits limits;

	private final AttemptRule pairRule;

	private final AttemptRule addressRule;

	private final AttemptRule identityRule;

	private final Clock clock;

	/** Blocks learned from the store, by counter key, until they end. */
	private final Map<String, Instant> knownBlocks = new ConcurrentHashMap<>();

	public GuessingGuard(AttemptStore attempts, GuessingLimits limits, Clock clock) {
		this.attempts = attempts;
		this.limits = limits;
		this.pairRule = new AttemptRule(limits.attemptsPerIdentityAndAddress(), limits.window(), limits.longestBlock());
		this.addressRule = new AttemptRule(limits.failuresPerAddress(), limits.window(), limits.longestBlock());
		this.identityRule = new AttemptRule(Long.MAX_VALUE, limits.window(), limits.longestBlock());
		this.clock = clock;
	}

	/**
	 * Runs {@code check} for {@code identity} (e.g. {@code client:<id>}, {@code user:<username>}) unless the limits
	 * refuse it, and counts its outcome.
	 * @param check emits whether the credentials matched
	 * @return what {@code check} emitted
	 * @throws OAuth2Exception {@code too_many_attempts} (429) when a limit refuses the attempt
	 */
	public Mono<Boolean> check(String identity, Supplier<Mono<Boolean>> check) {
		return Mono.deferContextual((context) -> {
			String address = ClientAddress.from(context);
			String pair = identity + "|" + address;
			String addressKey = "address:" + address;
			Instant now = this.clock.instant();
			Duration known = knownBlock(addressKey, pair, now);
			if (known != null) {
				return Mono.error(OAuth2Exception.tooManyAttempts(known));
			}
			// @formatter:off
			return Mono.zip(this.attempts.find(addressKey, now), this.attempts.record(pair, this.pairRule, now),
							this.attempts.find(identity, now))
					.flatMap((counts) -> {
						AttemptCount addressCount = counts.getT1();
						AttemptCount pairCount = counts.getT2();
						if (addressCount.isBlocked(now)) {
							return Mono.error(OAuth2Exception.tooManyAttempts(remember(addressKey, addressCount, now)));
						}
						if (!pairCount.counted()) {
							return Mono.error(OAuth2Exception.tooManyAttempts(remember(pair, pairCount, now)));
						}
						Duration delay = this.limits.identityDelay(counts.getT3().count());
						if (addressCount.count() + 1 < this.addressRule.limit()) {
							return checked(check, delay, identity, pair, addressKey, now, true);
						}
						// an address one failure from its limit, or past it, is counted before the check, as a pair is,
						// so that the attempts that arrive together (when its block ends, say) are checked one at a time
						return this.attempts.record(addressKey, this.addressRule, now).flatMap((hot) -> hot.counted()
								? checked(check, delay, identity, pair, addressKey, now, false)
								: Mono.error(OAuth2Exception.tooManyAttempts(remember(addressKey, hot, now))));
					});
			// @formatter:on
		});
	}

	/**
	 * The check, after the identity's delay, and its outcome counted: a success forgets the pair, a failure counts
	 * for the identity and (unless counted before the check) for the address.
	 */
	private Mono<Boolean> checked(Supplier<Mono<Boolean>> check, Duration delay, String identity, String pair,
			String addressKey, Instant now, boolean countAddressFailure) {
		// @formatter:off
		return Mono.delay(delay)
				.then(Mono.defer(check))
				.flatMap((matched) -> (matched ? this.attempts.clear(pair).doOnSuccess((done) -> this.knownBlocks.remove(pair))
						: Mono.when(countAddressFailure ? this.attempts.record(addressKey, this.addressRule, now)
										.filter((count) -> count.isBlocked(now))
										.doOnNext((count) -> remember(addressKey, count, now)) : Mono.empty(),
								this.attempts.record(identity, this.identityRule, now)))
						.thenReturn(matched));
		// @formatter:on
	}

	/**
	 * {@code then}, unless this replica knows the identity from the caller's address, or the address, to be blocked
	 * now: for a check answered without the store (a secret verified a moment ago), which a blocked guesser must not
	 * get either, or it would be a free oracle for the right secret.
	 */
	public <T> Mono<T> unlessKnownBlocked(String identity, Mono<T> then) {
		return Mono.deferContextual((context) -> {
			String address = ClientAddress.from(context);
			Duration known = knownBlock("address:" + address, identity + "|" + address, this.clock.instant());
			return (known != null) ? Mono.error(OAuth2Exception.tooManyAttempts(known)) : then;
		});
	}

	/** How long the address or the pair is still blocked as far as this replica knows, or {@code null}. */
	private @Nullable Duration knownBlock(String addressKey, String pair, Instant now) {
		for (String key : new String[] { addressKey, pair }) {
			Instant until = this.knownBlocks.get(key);
			if (until != null) {
				if (now.isBefore(until)) {
					return retryAfter(until, now);
				}
				this.knownBlocks.remove(key, until);
			}
		}
		return null;
	}

	private Duration remember(String key, AttemptCount count, Instant now) {
		if (this.knownBlocks.size() >= MAX_KNOWN_BLOCKS) {
			this.knownBlocks.values().removeIf((until) -> !now.isBefore(until));
			if (this.knownBlocks.size() >= MAX_KNOWN_BLOCKS) {
				this.knownBlocks.clear();
			}
		}
		Instant known = this.knownBlocks.get(key);
		if (known == null || count.blockedUntil().isAfter(known)) {
			// once per block and replica: the blocks double, so a flood of refusals is a few lines a minute
			logger.warn("Guessing limit: {} refused until {} ({} attempts counted)", LogSafe.clean(key),
					count.blockedUntil(), count.count());
		}
		this.knownBlocks.merge(key, count.blockedUntil(), (previous, learned) -> learned.isAfter(previous) ? learned : previous);
		return retryAfter(count.blockedUntil(), now);
	}

	/** Whole seconds until the block ends, at least 1: what {@code Retry-After} says. */
	private static Duration retryAfter(Instant blockedUntil, Instant now) {
		long millis = Duration.between(now, blockedUntil).toMillis();
		return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
	}

}
