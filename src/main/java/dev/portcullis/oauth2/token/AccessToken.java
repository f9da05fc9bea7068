package dev.portcullis.oauth2.token;

import java.time.Instant;

/**
 * A signed access token and the facts about it the server keeps.
 *
 * @param value the compact JWT
 * @param jti its {@code jti}
 * @param issuedAt its {@code iat}
 * @param expiresAt its {@code exp}
 */
public record AccessToken(String value, String jti, Instant issuedAt, Instant expiresAt) {

	@Override
	public String toString() {
		return "AccessToken[jti=" + this.jti + ", expiresAt=" + this.expiresAt + "]";
	}

}
