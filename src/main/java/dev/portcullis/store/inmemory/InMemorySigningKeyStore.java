package dev.portcullis.store.inmemory;

import java.util.concurrent.atomic.AtomicReference;

import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.oauth2.token.SigningKeySet;
import reactor.core.publisher.Mono;

/**
 * The signing key set in this process's memory: tokens stop verifying after a restart. There are no other replicas
 * to tell of a change.
 */
public class InMemorySigningKeyStore implements SigningKeyStore {

	private final AtomicReference<SigningKeySet> set = new AtomicReference<>(SigningKeySet.EMPTY);

	@Override
	public Mono<SigningKeySet> load() {
		return Mono.fromSupplier(this.set::get);
	}

	@Override
	public Mono<Boolean> replace(long expectedVersion, SigningKeySet replacement) {
		return Mono.fromSupplier(() -> {
			SigningKeySet stored = this.set.get();
			return stored.version() == expectedVersion && this.set.compareAndSet(stored, replacement);
		});
	}

}
