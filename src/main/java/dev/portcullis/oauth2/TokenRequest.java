package dev.portcullis.oauth2;

import org.jspecify.annotations.Nullable;

/**
 * A parsed token request, one record per grant. Parameters a grant requires may still be {@code null} here: the
 * grant handler checks them in league's order (after client authentication), so that the same request gets the
 * same error as from SuiteCRM.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4">RFC 6749 §4</a>
 */
public sealed interface TokenRequest {

	ClientCredentials credentials();

	/** The raw {@code scope} parameter, or {@code null} when absent. */
	@Nullable String scope();

	GrantType grantType();

	/** RFC 6749 §4.4.2. */
	record ClientCredentialsRequest(ClientCredentials credentials, @Nullable String scope) implements TokenRequest {

		@Override
		public GrantType grantType() {
			return GrantType.CLIENT_CREDENTIALS;
		}

	}

	/** RFC 6749 §4.3.2. */
	record PasswordRequest(ClientCredentials credentials, @Nullable String scope, @Nullable String username,
			@Nullable String password) implements TokenRequest {

		@Override
		public GrantType grantType() {
			return GrantType.PASSWORD;
		}

		@Override
		public String toString() {
			return "PasswordRequest[credentials=" + credentials() + ", scope=" + scope() + ", username=" + username()
					+ ", password=[PROTECTED]]";
		}

	}

	/** RFC 6749 §6. */
	record RefreshTokenRequest(ClientCredentials credentials, @Nullable String scope,
			@Nullable String refreshToken) implements TokenRequest {

		@Override
		public GrantType grantType() {
			return GrantType.REFRESH_TOKEN;
		}

		@Override
		public String toString() {
			return "RefreshTokenRequest[credentials=" + credentials() + ", scope=" + scope() + ", refreshToken=[PROTECTED]]";
		}

	}

	/** RFC 6749 §4.1.3 with RFC 7636 §4.5. */
	record AuthorizationCodeRequest(ClientCredentials credentials, @Nullable String scope, @Nullable String code,
			@Nullable String redirectUri, @Nullable String codeVerifier) implements TokenRequest {

		@Override
		public GrantType grantType() {
			return GrantType.AUTHORIZATION_CODE;
		}

		@Override
		public String toString() {
			return "AuthorizationCodeRequest[credentials=" + credentials() + ", redirectUri=" + redirectUri()
					+ ", code=[PROTECTED], codeVerifier=[PROTECTED]]";
		}

	}

}
