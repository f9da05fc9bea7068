package dev.portcullis.oauth2;

import org.jspecify.annotations.Nullable;

/**
 * The client authentication a token request carried, from the body or from HTTP Basic. A value from HTTP Basic is
 * as sent: RFC 6749 §2.3.1 has clients form-encode it, league's clients send it raw, and only a lookup of the
 * client can tell which ({@link dev.portcullis.oauth2.client.ClientAuthenticator}).
 *
 * @param clientId the {@code client_id}
 * @param clientSecret the {@code client_secret}, or {@code null} when none was sent
 * @param clientIdFromBasic whether the client id is the user of HTTP Basic, raw or form-encoded
 * @param clientSecretFromBasic whether the secret is the password of HTTP Basic, raw or form-encoded
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-2.3.1">RFC 6749 §2.3.1</a>
 */
public record ClientCredentials(String clientId, @Nullable String clientSecret, boolean clientIdFromBasic,
		boolean clientSecretFromBasic) {

	/** Credentials from the request body, decoded with it. */
	public ClientCredentials(String clientId, @Nullable String clientSecret) {
		this(clientId, clientSecret, false, false);
	}

	@Override
	public String toString() {
		return "ClientCredentials[clientId=" + this.clientId + ", clientSecret="
				+ (this.clientSecret == null ? "none" : "[PROTECTED]") + ", fromBasic=" + this.clientIdFromBasic + "/"
				+ this.clientSecretFromBasic + "]";
	}

}
