package dev.portcullis.web.authorize;

import java.io.Serializable;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A validated authorization request waiting for the user's decision on the consent page, kept in the session.
 *
 * @param id identifies the request on the consent form
 * @param clientId the client
 * @param clientName the client's name, for the page
 * @param redirectUri where the answer goes
 * @param requestedRedirectUri the {@code redirect_uri} parameter as sent, {@code null} when absent
 * @param scopes the requested scopes
 * @param state the client's {@code state}, returned as is
 * @param codeChallenge the PKCE challenge, or {@code null}
 * @param codeChallengeMethod its method, or {@code null}
 */
record AuthorizationRequest(String id, String clientId, String clientName, String redirectUri,
		@Nullable String requestedRedirectUri, Set<String> scopes, @Nullable String state,
		@Nullable String codeChallenge, @Nullable String codeChallengeMethod) implements Serializable {
}
