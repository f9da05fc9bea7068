package dev.portcullis.oauth2;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What an authorization code stands for until it is exchanged: who approved what for which client, where the
 * approval redirected, and the PKCE challenge. The code itself is never stored, only its SHA-256.
 *
 * @param clientId the client the code was issued to
 * @param userId the user who approved
 * @param redirectUri the {@code redirect_uri} of the authorization request, or {@code null} when it named none
 * (the client's only registered URI was used); the exchange must then repeat it exactly (RFC 6749 §4.1.3)
 * @param scopes the approved scopes
 * @param codeChallenge the PKCE {@code code_challenge}, or {@code null}
 * @param codeChallengeMethod {@code S256} or {@code plain}, or {@code null} without a challenge
 * @param issuedAt when the code was issued
 * @param expiresAt when it stops being exchangeable
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 */
public record AuthorizationCode(String clientId, String userId, @Nullable String redirectUri, Set<String> scopes,
		@Nullable String codeChallenge, @Nullable String codeChallengeMethod, Instant issuedAt, Instant expiresAt) {

	public AuthorizationCode {
		Objects.requireNonNull(clientId, "clientId");
		Objects.requireNonNull(userId, "userId");
		scopes = Set.copyOf(scopes);
	}

}
