package dev.portcullis.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
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
 * of hashes of the other of bcrypt and Argon2id.
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

	/**
	 * @param threads the threads of {@code scheduler}, which run checks at once
	 * @param maxWaiting how many more checks may wait for a thread
	 */
	public HashingPool(Scheduler scheduler, int threads, int maxWaiting) {
		this.scheduler = scheduler;
		this.threads = threads;
		this.capacity = threads + maxWaiting;
	}

	/** Runs a check of {@code scheme} on the pool, or fails at once when it is full. */
	public <T> Mono<T> run(String scheme, Callable<T> check) {
		return Mono.defer(() -> {
			int now = this.pending.incrementAndGet();
			if (now > this.capacity) {
				this.pending.decrementAndGet();
				this.rejected.incrementAndGet();
				return Mono.error(new RejectedExecutionException("Too many password checks are waiting"));
			}
			this.mostPending.accumulateAndGet(now, Math::max);
			// @formatter:off
			return Mono.fromCallable(() -> {
						long started = System.nanoTime();
						this.computed.incrementAndGet();
						T result = check.call();
						timings(scheme).add(System.nanoTime() - started);
						return result;
					})
					.subscribeOn(this.scheduler)
					.doFinally((signal) -> this.pending.decrementAndGet());
			// @formatter:on
		});
	}

	/**
	 * Whether {@code secret} matches {@code hash}, checked on the pool. A hash of another scheme than the one
	 * {@code hasher} writes may take less: a legacy one (SuiteCRM's, which the import stores,
	 * {@link PasswordHasher#isLegacy}) checks in microseconds where this gateway's own takes tens of milliseconds, and
	 * bcrypt and Argon2id differ. So its answer also waits for an {@link #imitate imitated} check of the hasher's own
	 * scheme: an imported or not yet upgraded client or user is never quicker to answer than any other, or than an
	 * unknown one. (A slower old hash stays slower until its upgrade at the next sign-in.)
	 */
	public Mono<Boolean> matches(PasswordHasher hasher, String secret, @Nullable String hash) {
		String scheme = PasswordHasher.scheme(hash);
		if (scheme == null || scheme.equals(hasher.scheme())) {
			return run(hasher.scheme(), () -> hasher.matches(secret, hash));
		}
		// the imitation first: it counts the checks ahead of it, which must not include the one it pads
		return Mono.zip(imitate(hasher.scheme()), run(scheme, () -> hasher.matches(secret, hash)),
				(padding, matched) -> matched);
	}

	/**
	 * Emits {@code false} after as long as a check of {@code scheme} would take now, spending no CPU: the wait for the
	 * checks ahead (those running or waiting beyond the threads, at the mean recent computation each), then a
	 * computation drawn at random from the last 64; fails like {@link #run} when the pool is full. What an unknown
	 * client or user gets, so that neither its answer nor its timing tells it from a wrong secret.
	 */
	public Mono<Boolean> imitate(String scheme) {
		return Mono.defer(() -> {
			int ahead = this.pending.get();
			if (ahead >= this.capacity) {
				this.rejected.incrementAndGet();
				return Mono.error(new RejectedExecutionException("Too many password checks are waiting"));
			}
			return Mono.delay(imitationDelay(scheme, ahead)).thenReturn(false);
		});
	}

	/** How long a check of {@code scheme} would take with {@code ahead} checks running or waiting before it. */
	Duration imitationDelay(String scheme, int ahead) {
		Timings timings = timings(scheme);
		long rounds = (ahead < this.threads) ? 0 : (ahead - this.threads) / this.threads + 1;
		return Duration.ofNanos(rounds * timings.mean() + timings.sample());
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
