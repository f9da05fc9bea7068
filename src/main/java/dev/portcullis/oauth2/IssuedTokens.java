package dev.portcullis.oauth2;

import java.util.Set;

import dev.portcullis.oauth2.token.AccessToken;
import org.jspecify.annotations.Nullable;

/**
 * What a successful token request returns.
 *
 * @param accessToken the signed access token
 * @param refreshToken the opaque refresh token, {@code null} for grants that issue none
 * @param scopes the granted scopes
 * @param scopeRequested whether the request named scopes; only then is {@code scope} in the response, as in league
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-5.1">RFC 6749 §5.1</a>
 */
public record IssuedTokens(AccessToken accessToken, @Nullable String refreshToken, Set<String> scopes,
		boolean scopeRequested) {

	@Override
	public String toString() {
		return "IssuedTokens[jti=" + this.accessToken.jti() + ", scopes=" + this.scopes + "]";
	}

}
