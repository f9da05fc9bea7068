package dev.portcullis.store.inmemory;

import java.util.concurrent.atomic.AtomicReference;

import dev.portcullis.oauth2.store.SigningKeyStore;
import reactor.core.publisher.Mono;

/**
 * The generated signing key in this process's memory: tokens stop verifying after a restart.
 */
public class InMemorySigningKeyStore implements SigningKeyStore {

	private final AtomicReference<String> key = new AtomicReference<>();

	@Override
	public Mono<String> findOrCreate(String candidate) {
		return Mono.fromSupplier(() -> {
			this.key.compareAndSet(null, candidate);
			return this.key.get();
		});
	}

}
