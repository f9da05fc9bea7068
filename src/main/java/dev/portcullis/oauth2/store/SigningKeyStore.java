package dev.portcullis.oauth2.store;

import reactor.core.publisher.Mono;

/**
 * Keeps the generated signing key, so that every replica sharing the store signs and verifies with the same key
 * and a restart keeps every token valid. The key is a private JWK in JSON.
 */
public interface SigningKeyStore {

	/**
	 * The stored key; when there is none yet, stores {@code candidate} unless another replica stored one first,
	 * and emits whichever is stored.
	 */
	Mono<String> findOrCreate(String candidate);

}
