package dev.portcullis.store.inmemory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Clients in this process's memory: for tests and a first run, lost on restart.
 */
public class InMemoryClientStore implements ClientStore {

	private final Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();

	@Override
	public Mono<RegisteredClient> findById(String clientId) {
		return Mono.fromSupplier(() -> this.clients.get(clientId));
	}

	/** Memory already: every change is seen at once. */
	@Override
	public Mono<RegisteredClient> findRecentById(String clientId) {
		return findById(clientId);
	}

	@Override
	public Mono<RegisteredClient> save(RegisteredClient client) {
		return Mono.fromSupplier(() -> {
			this.clients.put(client.id(), client);
			return client;
		});
	}

	@Override
	public Mono<RegisteredClient> replace(RegisteredClient expected, RegisteredClient changed) {
		return Mono.fromSupplier(() -> this.clients.replace(expected.id(), expected, changed) ? changed : null);
	}

	@Override
	public Flux<RegisteredClient> findAll() {
		return Flux.defer(() -> Flux.fromIterable(this.clients.values()));
	}

	@Override
	public Mono<Boolean> deleteById(String clientId) {
		return Mono.fromSupplier(() -> this.clients.remove(clientId) != null);
	}

}
