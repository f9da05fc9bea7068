package dev.portcullis.proxy.upstream;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * How the gateway obtains tokens from a backend's own token endpoint with the client_credentials grant.
 *
 * @param name the credential's name in the settings, which routes and clients use
 * @param tokenUri the backend's token endpoint (SuiteCRM: {@code https://crm.example.com/Api/access_token})
 * @param clientId the gateway's client at the backend
 * @param clientSecret its secret, never logged
 * @param scope the scope asked for, {@code null} for none
 * @param bodyFormat how the token request is written
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.4">RFC 6749 §4.4</a>
 */
public record UpstreamCredential(String name, URI tokenUri, String clientId, String clientSecret,
		@Nullable String scope, BodyFormat bodyFormat) {

	/** How a token request is written. */
	public enum BodyFormat {

		/**
		 * SuiteCRM's: a JSON body with {@code grant_type}, {@code client_id}, {@code client_secret} and {@code scope},
		 * as SuiteCRM's own API documentation shows (league reads the parsed body, JSON or form).
		 */
		SUITECRM,

		/** RFC 6749's: a form body, the client authenticated with HTTP Basic (§2.3.1). */
		FORM

	}

	@Override
	public String toString() {
		return "UpstreamCredential[" + this.name + ", " + this.tokenUri + ", client " + this.clientId + "]";
	}

}
