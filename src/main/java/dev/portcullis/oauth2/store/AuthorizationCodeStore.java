package dev.portcullis.oauth2.store;

import java.time.Instant;

import dev.portcullis.oauth2.AuthorizationCode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Authorization codes between approval and exchange, known only by the SHA-256 of the code. A code is exchanged
 * at most once: {@link #consume} hands it out to exactly one caller, and remembers that it was consumed so that a
 * second presentation is recognised as reuse (RFC 6749 §4.1.2: "the authorization server MUST deny the request
 * and SHOULD revoke (when possible) all tokens previously issued based on that authorization code").
 */
public interface AuthorizationCodeStore {

	/** Stores the code until {@code code.expiresAt()} (a little longer is fine: the exchange checks the expiry). */
	Mono<Void> issue(String codeHash, AuthorizationCode code);

	/**
	 * Atomically removes the code and emits it; of concurrent calls with the same hash exactly one gets it. Empty
	 * when no such code is stored (never issued, already consumed, or expired). After this, {@link #findConsumed}
	 * answers for the hash.
	 */
	Mono<AuthorizationCode> consume(String codeHash);

	/**
	 * Records the authorization issued from a consumed code, kept until {@code until}, so that reuse of the code can
	 * revoke it.
	 */
	Mono<Void> recordExchange(String codeHash, String authorizationId, Instant until);

	/**
	 * Whether the code was consumed: emits the id of the authorization issued from it, or an empty string when it was
	 * consumed but no authorization is recorded (yet); empty when it was never consumed.
	 */
	Mono<String> findConsumed(String codeHash);

	/**
	 * One page of the codes issued and not yet consumed or expired, the latest-expiring first, read through an index
	 * kept on write (administration).
	 */
	Flux<PendingCode> findPending(int offset, int limit);

	/** How many codes are pending. */
	Mono<Long> countPending();

	/** A code waiting to be exchanged, known by its hash. */
	record PendingCode(String codeHash, AuthorizationCode code) {
	}

}
