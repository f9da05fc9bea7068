package dev.portcullis.oauth2.token;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.support.SecureIds;

/**
 * The shape of the identifiers Portcullis issues, which the stores rely on: an authorization id is 32 lower-case
 * hex characters and every access token {@code jti} issued in it is that id followed by 48 more. The Redis stores
 * keep an authorization and the revocations of its tokens under one cluster hash tag derived from the id, so a
 * {@code jti} that did not start with its authorization's id would be revoked in one place and looked up in
 * another.
 */
public final class TokenIds {

	/** Length of an authorization id. */
	public static final int AUTHORIZATION_ID_LENGTH = 32;

	/** Length of an access token {@code jti}: the authorization id and 48 random hex characters. */
	public static final int JTI_LENGTH = 80;

	private TokenIds() {
	}

	/** Whether {@code jti} has the shape of the access token ids Portcullis issues. */
	public static boolean isIssuedJti(String jti) {
		return SecureIds.isLowerHex(jti, JTI_LENGTH);
	}

	/**
	 * Checks the invariant above before an authorization is stored.
	 * @throws IllegalArgumentException if the id or the access token {@code jti} is malformed
	 */
	public static Authorization requireWellFormed(Authorization authorization) {
		if (!SecureIds.isLowerHex(authorization.id(), AUTHORIZATION_ID_LENGTH)) {
			throw new IllegalArgumentException("An authorization id must be " + AUTHORIZATION_ID_LENGTH
					+ " lower-case hex characters: " + authorization.id());
		}
		String jti = authorization.accessTokenJti();
		if (!isIssuedJti(jti) || !jti.startsWith(authorization.id())) {
			throw new IllegalArgumentException("The access token jti must be the authorization id followed by "
					+ (JTI_LENGTH - AUTHORIZATION_ID_LENGTH) + " lower-case hex characters: " + jti);
		}
		return authorization;
	}

}
