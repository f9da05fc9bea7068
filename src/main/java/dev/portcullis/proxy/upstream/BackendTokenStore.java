package dev.portcullis.proxy.upstream;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Where the backend tokens of the gateway's credentials are kept, shared by every replica, and the lock that lets one
 * replica at a time ask the backend for a new one.
 */
public interface BackendTokenStore {

	/** The token kept for the credential, empty when there is none or it expired. */
	Mono<BackendToken> find(String credential);

	/** Keeps {@code token} for the credential until it expires, replacing the one kept before. */
	Mono<Void> save(String credential, BackendToken token);

	/**
	 * Forgets the token kept for the credential if it is still the one with this {@link BackendToken#fingerprint},
	 * so that a token another replica just obtained is not dropped for an old one's 401.
	 */
	Mono<Void> remove(String credential, String fingerprint);

	/** Takes the fetch lock of the credential for {@code owner} unless another owner holds it; emits whether it did. */
	Mono<Boolean> lock(String credential, String owner, Duration timeout);

	/** Releases the fetch lock if {@code owner} still holds it. */
	Mono<Void> unlock(String credential, String owner);

}
