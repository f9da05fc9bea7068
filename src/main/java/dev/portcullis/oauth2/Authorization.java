package dev.portcullis.oauth2;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The record of one grant: what was issued to whom, kept so that refresh can rotate it, logout and revocation can
 * end it, and administrators can list it. One authorization lives from the grant that created it through every
 * refresh that rotates it; its id is a prefix of every access token {@code jti} and refresh token issued in it.
 *
 * @param id the authorization id (32 lower-case hex characters)
 * @param clientId the client the tokens were issued to
 * @param userId the resource owner, or {@code null} for a client acting as itself
 * @param subject the {@code sub} claim: the user id, or the client id for a client without a user
 * @param grantType the grant that created the authorization
 * @param scopes the granted scopes
 * @param accessTokenJti the {@code jti} of the current access token
 * @param accessTokenIssuedAt when the current access token was issued
 * @param accessTokenExpiresAt when the current access token expires
 * @param refreshTokenHash the SHA-256 of the current refresh token, {@code null} when the grant issues none
 * @param refreshTokenExpiresAt when the current refresh token expires, {@code null} when there is none
 * @param createdAt when the grant happened
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-1.5">RFC 6749 §1.5</a>
 */
public record Authorization(String id, String clientId, @Nullable String userId, String subject, GrantType grantType,
		Set<String> scopes, String accessTokenJti, Instant accessTokenIssuedAt, Instant accessTokenExpiresAt,
		@Nullable String refreshTokenHash, @Nullable Instant refreshTokenExpiresAt, Instant createdAt) {

	public Authorization {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(clientId, "clientId");
		Objects.requireNonNull(accessTokenJti, "accessTokenJti");
		scopes = Set.copyOf(scopes);
	}

	/** When nothing issued in this authorization can be used any more: the record may be forgotten then. */
	public Instant expiresAt() {
		if (this.refreshTokenExpiresAt != null && this.refreshTokenExpiresAt.isAfter(this.accessTokenExpiresAt)) {
			return this.refreshTokenExpiresAt;
		}
		return this.accessTokenExpiresAt;
	}

	/** The same authorization after a refresh: a new access token and a new refresh token. */
	public Authorization rotate(String newJti, Instant issuedAt, Instant accessExpiresAt, String newRefreshTokenHash,
			Instant refreshExpiresAt, Set<String> newScopes) {
		return new Authorization(this.id, this.clientId, this.userId, this.subject, this.grantType, newScopes, newJti,
				issuedAt, accessExpiresAt, newRefreshTokenHash, refreshExpiresAt, this.createdAt);
	}

}
