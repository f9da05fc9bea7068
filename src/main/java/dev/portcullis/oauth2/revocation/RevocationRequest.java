package dev.portcullis.oauth2.revocation;

import dev.portcullis.oauth2.ClientCredentials;

/**
 * A revocation request (RFC 7009 §2.1), once its parameters are read.
 *
 * @param credentials the client's authentication, from the body or HTTP Basic as at the token endpoint
 * @param token the token to end, access or refresh
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7009#section-2.1">RFC 7009 §2.1</a>
 */
public record RevocationRequest(ClientCredentials credentials, String token) {

	@Override
	public String toString() {
		return "RevocationRequest[credentials=" + this.credentials + ", token=[PROTECTED]]";
	}

}
