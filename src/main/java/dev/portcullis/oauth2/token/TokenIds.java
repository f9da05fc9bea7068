package dev.portcullis.oauth2.token;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.support.SecureIds;

/**
 * The shape of the identifiers Portcullis issues, which the stores rely on: an authorization id is 32 lower-case
 * hex characters and every access token {@code jti} issued in it is that id followed by 48 more. The Redis stores
 * keep an authorization and the revocations of its tokens under one cluster hash tag derived from the id, so a
 * {@code jti} that did not start with its authorization's id would be revoked in one place and looked up in
 * another. This class is the only place that knows the format.
 */
public final class TokenIds {

	/** Length of an authorization id. */
	public static final int AUTHORIZATION_ID_LENGTH = 32;

	/** Length of an access token {@code jti}: the authorization id and 48 random hex characters. */
	public static final int JTI_LENGTH = 80;

	private TokenIds() {
	}

	/** A new authorization id: 128 random bits in hex. */
	public static String newAuthorizationId() {
		return SecureIds.randomHex(AUTHORIZATION_ID_LENGTH / 2);
	}

	/** A new access token id in the authorization {@code authorizationId}: the id, then 192 random bits in hex. */
	public static String newJti(String authorizationId) {
		return authorizationId + SecureIds.randomHex((JTI_LENGTH - AUTHORIZATION_ID_LENGTH) / 2);
	}

	/** Whether {@code jti} has the shape of the access token ids Portcullis issues. */
	public static boolean isIssuedJti(String jti) {
		return SecureIds.isLowerHex(jti, JTI_LENGTH);
	}

	/** Whether {@code id} has the shape of the authorization ids Portcullis issues. */
	public static boolean isAuthorizationId(String id) {
		return SecureIds.isLowerHex(id, AUTHORIZATION_ID_LENGTH);
	}

	/**
	 * The authorization an access token was issued in.
	 * @throws IllegalArgumentException if {@code jti} is not of the shape Portcullis issues
	 */
	public static String authorizationIdOf(String jti) {
		if (!isIssuedJti(jti)) {
			throw new IllegalArgumentException("Not an access token id Portcullis issues: " + jti);
		}
		return jti.substring(0, AUTHORIZATION_ID_LENGTH);
	}

	/**
	 * Checks the invariant above before an authorization is stored.
	 * @throws IllegalArgumentException if the id or the access token {@code jti} is malformed
	 */
	public static Authorization requireWellFormed(Authorization authorization) {
		if (!isAuthorizationId(authorization.id())) {
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
