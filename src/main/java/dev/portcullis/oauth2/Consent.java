package dev.portcullis.oauth2;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A user's standing approval of a client ("Authorize", as opposed to "Authorize Once"): later authorization
 * requests from the client for the user, asking for no more than these scopes, skip the consent page.
 *
 * @param clientId the client
 * @param userId the user
 * @param scopes the approved scopes
 * @param grantedAt when the user approved
 */
public record Consent(String clientId, String userId, Set<String> scopes, Instant grantedAt) {

	public Consent {
		Objects.requireNonNull(clientId, "clientId");
		Objects.requireNonNull(userId, "userId");
		scopes = Set.copyOf(scopes);
	}

}
