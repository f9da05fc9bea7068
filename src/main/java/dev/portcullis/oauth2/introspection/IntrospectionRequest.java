package dev.portcullis.oauth2.introspection;

import dev.portcullis.oauth2.ClientCredentials;

/**
 * An introspection request (RFC 7662 §2.1), once its parameters are read. {@code token_type_hint} is not kept: the
 * token's type is recognised by its shape, and §2.1 lets the server search every type whatever the hint says.
 *
 * @param credentials the caller's client authentication, from the body or HTTP Basic as at the token endpoint
 * @param token the token asked about, access or refresh
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7662#section-2.1">RFC 7662 §2.1</a>
 */
public record IntrospectionRequest(ClientCredentials credentials, String token) {

	@Override
	public String toString() {
		return "IntrospectionRequest[credentials=" + this.credentials + ", token=[PROTECTED]]";
	}

}
