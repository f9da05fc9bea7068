package dev.portcullis.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Shares one run of a piece of work between the callers that ask for the same key while it runs: the first caller
 * starts it, the others join and get the same outcome, and the key is free again once it ends. For credential
 * checks, so that a burst of identical requests costs one hash and counts as one attempt.
 */
public final class SingleFlight<T> {

	private final Map<String, Mono<T>> running = new ConcurrentHashMap<>();

	/** The outcome of {@code work} for {@code key}, started now unless a run for the key is under way. */
	public Mono<T> run(String key, Supplier<Mono<T>> work) {
		// the key is freed before the outcome reaches anyone, so that a caller who acts on it (drops what it got) and
		// asks again starts a new run rather than joining the finished one; a cancelled run frees it too
		return Mono.defer(() -> this.running.computeIfAbsent(key, (started) -> work.get()
			.doOnTerminate(() -> this.running.remove(started))
			.doFinally((signal) -> {
				if (signal == SignalType.CANCEL) {
					this.running.remove(started);
				}
			})
			.cache()));
	}

}
