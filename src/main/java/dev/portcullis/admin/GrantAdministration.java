package dev.portcullis.admin;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationStore;
import reactor.core.publisher.Mono;

/**
 * What happens to the grants already issued when an administrator changes what a client may do: a change that
 * narrows the client ends every grant it no longer covers, so that neither an access token issued before nor a
 * refresh keeps what was taken away.
 */
public final class GrantAdministration {

	private final AuthorizationStore authorizations;

	public GrantAdministration(AuthorizationStore authorizations) {
		this.authorizations = authorizations;
	}

	/**
	 * Ends the grants of the client that its new settings no longer cover: a scope it may no longer have, a grant
	 * type it may no longer use, or any grant at all when it stops being confidential (they were obtained with its
	 * secret, and a public client's refresh needs none). Emits how many grants ended.
	 * @param before the client as it was
	 * @param after the client as it is now
	 */
	public Mono<Long> revokeGrantsBeyond(RegisteredClient before, RegisteredClient after) {
		boolean madePublic = before.confidential() && !after.confidential();
		// @formatter:off
		return this.authorizations.findByClientId(after.id())
				.filter((authorization) -> madePublic || exceeds(authorization, after))
				.concatMap((authorization) -> this.authorizations.remove(authorization.id()))
				.count();
		// @formatter:on
	}

	/** Ends every grant of the client (it is being deleted). Emits how many grants ended. */
	public Mono<Long> revokeAllGrants(String clientId) {
		return this.authorizations.findByClientId(clientId)
			.concatMap((authorization) -> this.authorizations.remove(authorization.id()))
			.count();
	}

	private static boolean exceeds(Authorization authorization, RegisteredClient client) {
		return !client.grantTypes().contains(authorization.grantType())
				|| !client.scopes().containsAll(authorization.scopes());
	}

}
