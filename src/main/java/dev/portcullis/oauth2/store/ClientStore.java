package dev.portcullis.oauth2.store;

import dev.portcullis.oauth2.client.RegisteredClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where registered clients live.
 */
public interface ClientStore {

	/** The client with this {@code client_id}, or empty. */
	Mono<RegisteredClient> findById(String clientId);

	/** Creates or replaces the client with the same id; emits what was stored. */
	Mono<RegisteredClient> save(RegisteredClient client);

	/** Every client, in no particular order. */
	Flux<RegisteredClient> findAll();

	/** Removes the client; emits whether there was one. */
	Mono<Boolean> deleteById(String clientId);

}
