package dev.portcullis.store.inmemory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.portcullis.oauth2.store.AttemptStore;
import reactor.core.publisher.Mono;

/**
 * {@link AttemptStore} in this process's memory (one replica). Bounded: past {@value #MAX_KEYS} keys the
 * forgotten ones are dropped, and if that is not enough, everything.
 */
public final class InMemoryAttemptStore implements AttemptStore {

	private static final int MAX_KEYS = 100_000;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	@Override
	public Mono<AttemptCount> record(String key, AttemptRule rule, Instant now) {
		return Mono.fromSupplier(() -> {
			if (this.counters.size() >= MAX_KEYS) {
				this.counters.values().removeIf((counter) -> !counter.forgetAt().isAfter(now));
				if (this.counters.size() >= MAX_KEYS) {
					this.counters.clear();
				}
			}
			AttemptCount[] result = new AttemptCount[1];
			this.counters.compute(key, (name, counter) -> {
				Counter current = (counter == null || !counter.forgetAt().isAfter(now)) ? Counter.NONE : counter;
				if (now.isBefore(current.blockedUntil())) {
					result[0] = new AttemptCount(false, current.count(), current.blockedUntil());
					return current;
				}
				long count = current.count() + 1;
				java.time.Duration block = rule.blockAfter(count);
				Instant blockedUntil = block.isZero() ? current.blockedUntil() : now.plus(block);
				Instant forgetAt = now.plus((block.compareTo(rule.window()) > 0) ? block : rule.window());
				result[0] = new AttemptCount(true, count, blockedUntil);
				return new Counter(count, blockedUntil, forgetAt);
			});
			return result[0];
		});
	}

	@Override
	public Mono<AttemptCount> find(String key, Instant now) {
		return Mono.fromSupplier(() -> {
			Counter counter = this.counters.get(key);
			if (counter == null || !counter.forgetAt().isAfter(now)) {
				return AttemptCount.NONE;
			}
			return new AttemptCount(true, counter.count(), counter.blockedUntil());
		});
	}

	@Override
	public Mono<Void> clear(String key) {
		return Mono.fromRunnable(() -> this.counters.remove(key));
	}

	private record Counter(long count, Instant blockedUntil, Instant forgetAt) {

		static final Counter NONE = new Counter(0, Instant.EPOCH, Instant.EPOCH);

	}

}
