package dev.portcullis.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Shares one run of a piece of work between the callers that ask for the same key while it runs: the first caller
 * starts it, the others join and get the same outcome, and the key is free again once it ends. For credential
 * checks, so that a burst of identical requests costs one hash and counts as one attempt.
 * <p>
 * A run whose callers have all gone (their clients disconnected) is cancelled: a password check still waiting for a
 * hashing thread is then never computed and leaves the pool's bound at once. Otherwise a client that gives up and
 * asks again (a library's timeout and retry) adds a hash for nobody each time, and the checks of clients long gone
 * fill the bound, so that those still waiting get 503 (32 abandoned password grants held it for two seconds on one
 * core).
 */
public final class SingleFlight<T> {

	private final Map<String, Run> running = new ConcurrentHashMap<>();

	/** The outcome of {@code work} for {@code key}, started now unless a run for the key is under way. */
	public Mono<T> run(String key, Supplier<Mono<T>> work) {
		return Mono.defer(() -> {
			Run run = this.running.computeIfAbsent(key, (absent) -> new Run(key, work));
			// found as its last caller cancelled it: a run of its own for this caller, in the map as any other
			return run.outcome.onErrorResume(Cancelled.class, (cancelled) -> {
				this.running.remove(key, run);
				return run(key, work);
			});
		});
	}

	/** One run of the work for a key. Only the run itself, or a caller who finds it cancelled, removes it. */
	private final class Run {

		private final AtomicBoolean started = new AtomicBoolean();

		private final Mono<T> outcome;

		Run(String key, Supplier<Mono<T>> work) {
			// the key is freed before the outcome reaches anyone, so that a caller who acts on it (drops what it got)
			// and asks again starts a new run rather than joining the finished one; a cancelled run frees it too
			// replay: a caller who joins as the outcome is emitted still gets it; refCount: the run is cancelled when
			// its last caller cancels (a cache would run on for nobody). A caller who subscribes after that would
			// make refCount start the work again outside the map: it gets Cancelled instead, and starts a run there
			this.outcome = Mono.fromDirect(Mono.defer(() -> this.started.compareAndSet(false, true) ? work.get()
					: Mono.<T>error(Cancelled.INSTANCE))
				.doOnTerminate(() -> SingleFlight.this.running.remove(key, this))
				.doFinally((signal) -> {
					if (signal == SignalType.CANCEL) {
						SingleFlight.this.running.remove(key, this);
					}
				})
				.flux()
				.replay(1)
				.refCount());
		}

	}

	/** The answer of a run that was cancelled to a caller who subscribed after that; never reaches a caller of run. */
	private static final class Cancelled extends RuntimeException {

		static final Cancelled INSTANCE = new Cancelled();

		private Cancelled() {
			super("cancelled", null, false, false);
		}

	}

}
