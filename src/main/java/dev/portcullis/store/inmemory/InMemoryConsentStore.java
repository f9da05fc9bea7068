package dev.portcullis.store.inmemory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.store.ConsentStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Consents in this process's memory, by user and then by client: for tests and a first run, lost on restart.
 */
public class InMemoryConsentStore implements ConsentStore {

	private final Map<String, Map<String, Consent>> consentsByUser = new HashMap<>();

	@Override
	public Mono<Void> save(Consent consent) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				this.consentsByUser.computeIfAbsent(consent.userId(), (userId) -> new HashMap<>())
					.put(consent.clientId(), consent);
			}
		});
	}

	@Override
	public Mono<Consent> find(String clientId, String userId) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Map<String, Consent> consents = this.consentsByUser.get(userId);
				return (consents != null) ? consents.get(clientId) : null;
			}
		});
	}

	@Override
	public Flux<Consent> findByUserId(String userId) {
		return Flux.defer(() -> {
			synchronized (this) {
				Map<String, Consent> consents = this.consentsByUser.get(userId);
				return Flux.fromIterable((consents != null) ? List.copyOf(consents.values()) : List.of());
			}
		});
	}

	@Override
	public Mono<Boolean> revoke(String clientId, String userId) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Map<String, Consent> consents = this.consentsByUser.get(userId);
				if (consents == null || consents.remove(clientId) == null) {
					return false;
				}
				// a user without consents takes no memory
				if (consents.isEmpty()) {
					this.consentsByUser.remove(userId);
				}
				return true;
			}
		});
	}

}
