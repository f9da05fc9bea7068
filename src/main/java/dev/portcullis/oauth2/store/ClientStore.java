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

	/**
	 * The client with this {@code client_id} as this process read it a moment ago, or empty: for authenticating token
	 * requests, which a busy client sends many times a second. A change made through this store is seen at once, one
	 * made by another replica as soon as the store learns of it (milliseconds); a store that cannot learn of changes
	 * answers as {@link #findById}. A caller that issues something on this answer checks it against
	 * {@link #findById} once issued, as the token issuer's {@code GrantRecheck} does.
	 */
	Mono<RegisteredClient> findRecentById(String clientId);

	/** Creates or replaces the client with the same id; emits what was stored. */
	Mono<RegisteredClient> save(RegisteredClient client);

	/**
	 * Replaces {@code expected} by {@code changed} (the same id) only while the stored client is still
	 * {@code expected}: emits {@code changed}, or empty, writing nothing, when the client changed or was deleted since
	 * the caller read it, so that a change decided on an old reading (a secret rehashed at sign-in, an import) cannot
	 * undo a newer one (an administrator's edit, a rotated secret, a deletion).
	 */
	Mono<RegisteredClient> replace(RegisteredClient expected, RegisteredClient changed);

	/** Every client, in no particular order. */
	Flux<RegisteredClient> findAll();

	/** Removes the client; emits whether there was one. */
	Mono<Boolean> deleteById(String clientId);

}
