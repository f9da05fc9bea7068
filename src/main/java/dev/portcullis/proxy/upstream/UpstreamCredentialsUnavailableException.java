package dev.portcullis.proxy.upstream;

/** No token could be obtained for a backend credential; the message says why, never with the token or secret. */
public final class UpstreamCredentialsUnavailableException extends RuntimeException {

	public UpstreamCredentialsUnavailableException(String credential, String reason) {
		super("No backend token for " + credential + ": " + reason, null, false, false);
	}

}
