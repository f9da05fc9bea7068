package dev.portcullis.oauth2.store;

import dev.portcullis.oauth2.Consent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Users' standing approvals of clients, one per client and user.
 */
public interface ConsentStore {

	/** Creates or replaces the consent of this client and user. */
	Mono<Void> save(Consent consent);

	/** The consent of this user for this client, or empty. */
	Mono<Consent> find(String clientId, String userId);

	/** The user's consents, in no particular order. */
	Flux<Consent> findByUserId(String userId);

	/** Withdraws the consent; emits whether there was one. */
	Mono<Boolean> revoke(String clientId, String userId);

}
