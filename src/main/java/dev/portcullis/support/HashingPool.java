package dev.portcullis.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Where slow password checks run: off the event loop, on a pool of a few threads, with one small global bound on
 * the checks waiting for a thread. Past it a check fails at once ({@link RejectedExecutionException}, answered 503
 * with {@code Retry-After}) instead of queueing for seconds behind a flood: the token endpoint, the login page and
 * admin Basic share it. (Reactor's own queue bound is per thread and large: cores × 1000.)
 *
 * <p>It also remembers how long recent checks took to compute, per hash scheme, so that a check with nothing to
 * compare (an unknown client or user) can take as long as a real one would now, without spending a hash
 * ({@link #imitate}): a computation drawn from the recent ones, after the wait the checks ahead of it would cause, or
 * 503 when the pool is full, as for a real check. Queue waits are never recorded: a burst would otherwise leave
 * long samples behind it that no real check takes once the burst is over.
 *
 * <p>The same imitation pads the checks of SuiteCRM's imported hashes ({@link #matches}), which take microseconds, and
 * of hashes of the other of bcrypt and Argon2id. Checks are timed by the work they cost ({@link PasswordHasher#kind}:
 * bcrypt's cost, Argon2's parameters), not by scheme alone. When the store still holds hashes slower than the
 * hasher's own (bcrypt at cost 10 or 12 beside Argon2id), every check and imitation of that hasher is padded to the
 * slowest of them ({@link #padToSlowest}), learned at start.
 *
 * <p>Memory: an Argon2id check holds 7 MiB while it computes, and no more checks compute at once than the threads (one
 * per core), so Argon2id costs at most 7 MiB × threads (14 MiB on 2 cores); waiting checks hold nothing.
 */
public final class HashingPool {

	private static final int SAMPLES = 64;

	private final Scheduler scheduler;

	private final int threads;

	private final int capacity;

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicInteger mostPending = new AtomicInteger();

	private final AtomicLong rejected = new AtomicLong();

	private final AtomicLong computed = new AtomicLong();

	private final Map<String, Timings> timings = new ConcurrentHashMap<>();

	/** The slowest kind of hash each hasher may meet in the store, when slower than its own ({@link #padToSlowest}). */
	private final Map<PasswordHasher, String> slowest = new ConcurrentHashMap<>();

	/**
	 * @param threads the threads of {@code scheduler}, which run checks at once
	 * @param maxWaiting how many more checks may wait for a thread
	 */
	public HashingPool(Scheduler scheduler, int threads, int maxWaiting) {
		this.scheduler = scheduler;
		this.threads = threads;
		this.capacity = threads + maxWaiting;
	}

	/** Runs a check of {@code kind} ({@link PasswordHasher#kind}) on the pool, or fails at once when it is full. */
	public <T> Mono<T> run(String kind, Callable<T> check) {
		return Mono.defer(() -> {
			int now = this.pending.incrementAndGet();
			if (now > this.capacity) {
				this.pending.decrementAndGet();
				this.rejected.incrementAndGet();
				return Mono.error(new RejectedExecutionException("Too many password checks are waiting"));
			}
			this.mostPending.accumulateAndGet(now, Math::max);
			// a check cancelled while it waits leaves the bound at once and is never computed; one cancelled while it
			// computes runs to the end (a hash cannot be stopped) and holds its place until then, or a flood of
			// requests closed mid-check would have more checks in the pool than the bound says. Whichever comes first,
			// the computation or the end of the wait, claims the place and gives it back
			AtomicBoolean claimed = new AtomicBoolean();
			// @formatter:off
			return Mono.fromCallable(() -> {
						if (!claimed.compareAndSet(false, true)) {
							return null;
						}
						try {
							long started = System.nanoTime();
							this.computed.incrementAndGet();
							T result = check.call();
							timings(kind).add(System.nanoTime() - started);
							return result;
						}
						finally {
							this.pending.decrementAndGet();
						}
					})
					.subscribeOn(this.scheduler)
					.doFinally((signal) -> {
						if (claimed.compareAndSet(false, true)) {
							this.pending.decrementAndGet();
						}
					});
			// @formatter:on
		});
	}

	/**
	 * Whether {@code secret} matches {@code hash}, checked on the pool. A hash of another kind than the one
	 * {@code hasher} writes may take less: a legacy one (SuiteCRM's, which the import stores,
	 * {@link PasswordHasher#isLegacy}) checks in microseconds where this gateway's own takes tens of milliseconds, and
	 * bcrypt and Argon2id differ. So its answer also waits for an {@link #imitate(String) imitated} check of the
	 * hasher's own scheme or, once the store holds a slower kind ({@link #padToSlowest}), of that kind: then every
	 * check but those of the slowest kind waits for it. An imported, not yet upgraded or upgraded client or user is
	 * never quicker to answer than any other, or than an unknown one.
	 */
	public Mono<Boolean> matches(PasswordHasher hasher, String secret, @Nullable String hash) {
		String kind = hasher.kind(hash);
		String padKind = this.slowest.getOrDefault(hasher, hasher.scheme());
		Mono<Boolean> check = run(kind, () -> hasher.matches(secret, hash));
		if (kind.equals(padKind)) {
			return check;
		}
		// the imitation first: it counts the checks ahead of it, which must not include the one it pads. Of the
		// slowest kind alone: with the real check beside it, the longer of the two is what an unknown name waits for
		return Mono.zip(imitate(padKind), check, (padding, matched) -> matched);
	}

	/**
	 * An {@link #imitate(String) imitated} check of the slowest kind {@code hasher} may meet: of its own scheme, or
	 * as long as the slower of it and the slowest stored hash ({@link #padToSlowest}), as a real check of its own scheme
	 * padded to that hash takes. What an unknown client or user gets.
	 */
	public Mono<Boolean> imitate(PasswordHasher hasher) {
		return imitate(paddedKinds(hasher));
	}

	/**
	 * Emits {@code false} after as long as a check of {@code scheme} would take now, spending no CPU: the wait for the
	 * checks ahead (those running or waiting beyond the threads, at the mean recent computation each), then a
	 * computation drawn at random from the last 64; fails like {@link #run} when the pool is full. What an unknown
	 * client or user gets, so that neither its answer nor its timing tells it from a wrong secret.
	 */
	public Mono<Boolean> imitate(String scheme) {
		return imitate(List.of(scheme));
	}

	/** Imitates the longest of checks of {@code kinds}. */
	private Mono<Boolean> imitate(List<String> kinds) {
		return Mono.defer(() -> {
			int ahead = this.pending.get();
			if (ahead >= this.capacity) {
				this.rejected.incrementAndGet();
				return Mono.error(new RejectedExecutionException("Too many password checks are waiting"));
			}
			return Mono.delay(imitationDelay(kinds, ahead)).thenReturn(false);
		});
	}

	/** How long a check of {@code scheme} would take with {@code ahead} checks running or waiting before it. */
	Duration imitationDelay(String scheme, int ahead) {
		return imitationDelay(List.of(scheme), ahead);
	}

	/** How long {@link #imitate(PasswordHasher)} waits with {@code ahead} checks running or waiting before it. */
	Duration imitationDelay(PasswordHasher hasher, int ahead) {
		return imitationDelay(paddedKinds(hasher), ahead);
	}

	/**
	 * The longest a check of any of {@code kinds} would take with {@code ahead} checks before it: what a real check
	 * of the hasher's own scheme padded to the slowest stored kind takes, the longer of the two.
	 */
	private Duration imitationDelay(List<String> kinds, int ahead) {
		long rounds = (ahead < this.threads) ? 0 : (ahead - this.threads) / this.threads + 1;
		long longest = 0;
		for (String kind : kinds) {
			Timings timings = timings(kind);
			longest = Math.max(longest, rounds * timings.mean() + timings.sample());
		}
		return Duration.ofNanos(longest);
	}

	/**
	 * Pads every check by {@code hasher} and its imitation ({@link #matches}, {@link #imitate(PasswordHasher)}) to
	 * the slowest of {@code storedHashes} when that is slower than the hasher's own (its seeded timing): a user still
	 * on bcrypt at cost 12 beside Argon2id then answers no slower than any other, or than an unknown one. With none
	 * slower, nothing changes: no check waits longer than before. One hash of each kind is checked once to time it
	 * (a few kinds, each at most a second or so), so call this at start, where waiting is fine. Hashes written
	 * from then on are of the hasher's own kind, so the target need not grow while running; it stays as it is until
	 * the next start, even once every slow hash was upgraded.
	 * @return the kind every check is now padded to, or {@code null} when no stored hash is slower
	 */
	public @Nullable String padToSlowest(PasswordHasher hasher, Iterable<@Nullable String> storedHashes) {
		Map<String, @Nullable String> oneOfEachKind = new HashMap<>();
		for (String hash : storedHashes) {
			oneOfEachKind.putIfAbsent(hasher.kind(hash), hash);
		}
		oneOfEachKind.remove(hasher.scheme());
		String slowestKind = null;
		long slowestNanos = timings(hasher.scheme()).mean();
		for (Map.Entry<String, @Nullable String> kind : oneOfEachKind.entrySet()) {
			long nanos = hasher.measure(kind.getValue()).toNanos();
			if (nanos > slowestNanos) {
				slowestKind = kind.getKey();
				slowestNanos = nanos;
			}
		}
		if (slowestKind != null) {
			timings(slowestKind).add(slowestNanos);
			this.slowest.put(hasher, slowestKind);
		}
		return slowestKind;
	}

	/** The kinds {@link #imitate(PasswordHasher)} takes the longest of. */
	private List<String> paddedKinds(PasswordHasher hasher) {
		String slowestKind = this.slowest.get(hasher);
		return (slowestKind != null) ? List.of(hasher.scheme(), slowestKind) : List.of(hasher.scheme());
	}

	/** Seeds the durations of a scheme before any real check ran (a measured check at start). */
	public void seed(String scheme, Duration typical) {
		timings(scheme).add(typical.toNanos());
	}

	/** Checks waiting or running now. */
	public int pending() {
		return this.pending.get();
	}

	/** The most checks that were ever waiting or running at once: never more than the threads and the bound. */
	public int mostPending() {
		return this.mostPending.get();
	}

	/** Checks computed: the password hashes spent. */
	public long computed() {
		return this.computed.get();
	}

	/** Checks refused because the pool was full. */
	public long rejected() {
		return this.rejected.get();
	}

	private Timings timings(String scheme) {
		return this.timings.computeIfAbsent(scheme, (name) -> new Timings());
	}

	/** The last {@value #SAMPLES} durations, in a ring. */
	private static final class Timings {

		private final AtomicLongArray samples = new AtomicLongArray(SAMPLES);

		private final AtomicInteger next = new AtomicInteger();

		void add(long nanos) {
			this.samples.set(Math.floorMod(this.next.getAndIncrement(), SAMPLES), nanos);
		}

		long sample() {
			int filled = Math.min(this.next.get(), SAMPLES);
			return (filled == 0) ? 0 : this.samples.get(ThreadLocalRandom.current().nextInt(filled));
		}

		long mean() {
			int filled = Math.min(this.next.get(), SAMPLES);
			long total = 0;
			for (int i = 0; i < filled; i++) {
				total += this.samples.get(i);
			}
			return (filled == 0) ? 0 : total / filled;
		}

	}

}
