package dev.portcullis.store.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.portcullis.proxy.upstream.BackendToken;
import dev.portcullis.proxy.upstream.BackendTokenStore;
import reactor.core.publisher.Mono;

/**
 * {@link BackendTokenStore} in memory, for one replica: the lock is always free, since the replica's single-flight
 * already lets one request at a time fetch.
 */
public class InMemoryBackendTokenStore implements BackendTokenStore {

	private final Map<String, BackendToken> tokens = new ConcurrentHashMap<>();

	private final Clock clock;

	public InMemoryBackendTokenStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Mono<BackendToken> find(String credential) {
		return Mono.fromSupplier(() -> this.tokens.get(credential))
			.filter((token) -> this.clock.instant().isBefore(token.expiresAt()));
	}

	@Override
	public Mono<Void> save(String credential, BackendToken token) {
		return Mono.fromRunnable(() -> this.tokens.put(credential, token));
	}

	@Override
	public Mono<Void> remove(String credential, String fingerprint) {
		return Mono.fromRunnable(() -> this.tokens.computeIfPresent(credential,
				(name, token) -> token.fingerprint().equals(fingerprint) ? null : token));
	}

	@Override
	public Mono<Boolean> lock(String credential, String owner, Duration timeout) {
		return Mono.just(true);
	}

	@Override
	public Mono<Void> unlock(String credential, String owner) {
		return Mono.empty();
	}

}
