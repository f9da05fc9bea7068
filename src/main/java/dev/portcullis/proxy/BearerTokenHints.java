package dev.portcullis.proxy;

/**
 * The hints of the 401 {@code access_denied} answer, which tell a client why its token was refused. The first
 * and last are league's own texts.
 */
final class BearerTokenHints {

	static final String MISSING = "Missing \"Authorization\" header";

	static final String NOT_VERIFIED = "Access token could not be verified";

	static final String EXPIRED = "Access token has expired";

	static final String REVOKED = "Access token has been revoked";

	private BearerTokenHints() {
	}

}
