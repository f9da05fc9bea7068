package dev.portcullis.oauth2;

import org.jspecify.annotations.Nullable;

/**
 * The client authentication a token request carried, from the body or from HTTP Basic.
 *
 * @param clientId the {@code client_id}
 * @param clientSecret the {@code client_secret}, or {@code null} when none was sent
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-2.3.1">RFC 6749 §2.3.1</a>
 */
public record ClientCredentials(String clientId, @Nullable String clientSecret) {

	@Override
	public String toString() {
		return "ClientCredentials[clientId=" + this.clientId + ", clientSecret=" + (this.clientSecret == null ? "none" : "[PROTECTED]") + "]";
	}

}
