package dev.portcullis.oauth2.store;

import dev.portcullis.oauth2.token.SigningKeySet;
import reactor.core.publisher.Mono;

/**
 * Keeps the {@link SigningKeySet} every replica sharing the store signs and verifies with, so that a rotation made on
 * one replica reaches all of them and a restart keeps every token valid. Changes are compare-and-set on the set's
 * version: of two replicas changing the same version at once, exactly one succeeds, and no key is lost.
 */
public interface SigningKeyStore {

	/**
	 * The stored set, or {@link SigningKeySet#EMPTY} when there is none. A key stored by an earlier Portcullis (one
	 * private JWK, before key sets) is read as a set of version 0 holding it as the active key: storing that set as
	 * version 1 takes it over, and tokens it signed stay valid.
	 */
	Mono<SigningKeySet> load();

	/**
	 * Stores {@code replacement} if the stored set is still of {@code expectedVersion}, and tells every replica
	 * sharing the store that the set changed. Emits whether it was stored.
	 */
	Mono<Boolean> replace(long expectedVersion, SigningKeySet replacement);

}
