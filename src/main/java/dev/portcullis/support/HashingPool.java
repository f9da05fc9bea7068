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

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Where slow password checks run: off the event loop, on a pool of a few threads, with one small global bound on
 * the checks waiting for a thread. Past it a check fails at once ({@link RejectedExecutionException}, answered 503
 * with {@code Retry-After}) instead of queueing for seconds behind a flood: the token endpoint, the login page and
 * admin Basic share it. (Reactor's own queue bound is per thread and large: cores × 1000.)
 *
 * <p>It also remembers how long recent checks took, per hash scheme, from submission to answer, so that a check
 * with nothing to compare (an unknown client or user) can take as long as a real one without spending a hash
 * ({@link #imitate}).
 */
public final class HashingPool {

	private static final int SAMPLES = 64;

	private final Scheduler scheduler;

	private final int capacity;

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicInteger mostPending = new AtomicInteger();

	private final AtomicLong rejected = new AtomicLong();

	private final Map<String, Timings> timings = new ConcurrentHashMap<>();

	/**
	 * @param threads the threads of {@code scheduler}, which run checks at once
	 * @param maxWaiting how many more checks may wait for a thread
	 */
	public HashingPool(Scheduler scheduler, int threads, int maxWaiting) {
		this.scheduler = scheduler;
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
			long started = System.nanoTime();
			// @formatter:off
			return Mono.fromCallable(check)
					.subscribeOn(this.scheduler)
					.doOnSuccess((result) -> timings(scheme).add(System.nanoTime() - started))
					.doFinally((signal) -> this.pending.decrementAndGet());
			// @formatter:on
		});
	}

	/**
	 * Emits {@code false} after as long as a check of {@code scheme} recently took (one of the last 64, drawn at
	 * random), spending no CPU: what an unknown client or user gets, so that its answer cannot be told from a wrong
	 * secret's by its timing.
	 */
	public Mono<Boolean> imitate(String scheme) {
		return Mono.delay(Duration.ofNanos(timings(scheme).sample())).thenReturn(false);
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

	}

}
