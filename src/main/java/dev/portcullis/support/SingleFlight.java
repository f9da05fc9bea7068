package dev.portcullis.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Shares one run of a piece of work between the callers that ask for the same key while it runs: the first caller
 * starts it, the others join and get the same outcome, and the key is free again once it ends. For credential
 * checks, so that a burst of identical requests costs one hash and counts as one attempt.
 */
public final class SingleFlight<T> {

	private final Map<String, Mono<T>> running = new ConcurrentHashMap<>();

	/** The outcome of {@code work} for {@code key}, started now unless a run for the key is under way. */
	public Mono<T> run(String key, Supplier<Mono<T>> work) {
		return Mono.defer(() -> this.running.computeIfAbsent(key,
				(started) -> work.get().doFinally((signal) -> this.running.remove(started)).cache()));
	}

}
