package dev.portcullis.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.util.context.ContextView;

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
 * <p>
 * The callers are counted here rather than by Reactor's {@code replay(1).refCount()}, which this class used before:
 * a caller who subscribed as the last other caller cancelled could be failed with its {@code CancellationException}
 * (a 500), and one who cancelled while being subscribed was never counted off, leaving a run no caller could cancel.
 */
public final class SingleFlight<T> {

	private final Map<String, Run> running = new ConcurrentHashMap<>();

	/** The outcome of {@code work} for {@code key}, started now unless a run for the key is under way. */
	public Mono<T> run(String key, Supplier<Mono<T>> work) {
		return Mono.deferContextual((context) -> {
			// a run found as it ends or as its last caller leaves takes no one more: this caller starts the next
			Run run = this.running.computeIfAbsent(key, (absent) -> new Run(key));
			while (!run.join()) {
				this.running.remove(key, run);
				run = this.running.computeIfAbsent(key, (absent) -> new Run(key));
			}
			run.startOnce(work, context);
			Run joined = run;
			return joined.outcome.asMono().doFinally((signal) -> {
				if (signal == SignalType.CANCEL) {
					joined.leave();
				}
			});
		});
	}

	/** One run of the work for a key: its callers, and the outcome they all get. */
	private final class Run {

		private final String key;

		private final Sinks.One<T> outcome = Sinks.one();

		private final Disposable.Swap work = Disposables.swap();

		private int callers;

		private boolean started;

		private boolean closed;

		Run(String key) {
			this.key = key;
		}

		/** Counts a caller in, unless the run has ended or lost its last caller. */
		synchronized boolean join() {
			if (this.closed) {
				return false;
			}
			this.callers++;
			return true;
		}

		/** Starts the work once, with the context of the caller who starts it (its trace, for one). */
		void startOnce(Supplier<Mono<T>> supplier, ContextView context) {
			synchronized (this) {
				if (this.started) {
					return;
				}
				this.started = true;
			}
			try {
				this.work.update(Mono.defer(supplier)
					.contextWrite(context)
					.subscribe((value) -> end(() -> this.outcome.tryEmitValue(value)),
							(error) -> end(() -> this.outcome.tryEmitError(error)),
							() -> end(this.outcome::tryEmitEmpty)));
			}
			catch (Throwable fatal) {
				// Reactor throws errors it deems fatal (a stack overflow, a missing class) instead of signalling them:
				// the run ends with it, or the key would stay taken and every later caller wait forever
				end(() -> this.outcome.tryEmitError(fatal));
				throw fatal;
			}
		}

		/** A caller cancelled: the last one to go cancels the work. */
		void leave() {
			synchronized (this) {
				if (this.closed || --this.callers > 0) {
					return;
				}
				this.closed = true;
			}
			SingleFlight.this.running.remove(this.key, this);
			this.work.dispose();
		}

		private void end(Runnable emitOutcome) {
			synchronized (this) {
				this.closed = true;
			}
			// the key is freed before the outcome reaches anyone, so that a caller who acts on it (drops what it got)
			// and asks again starts a new run rather than joining the finished one
			SingleFlight.this.running.remove(this.key, this);
			emitOutcome.run();
		}

	}

}
