package dev.portcullis.oauth2.token;

import dev.portcullis.support.SecureIds;
import org.jspecify.annotations.Nullable;

/**
 * Opaque refresh tokens: the 32 hex characters of their authorization id, then 256 random bits in hex. The id part
 * lets the store find the authorization (and keep all its keys in one Redis Cluster slot) without an index; only
 * the SHA-256 of the whole token is stored, so the random part is what proves possession.
 */
public final class RefreshTokens {

	private static final int SECRET_BYTES = 32;

	private static final int LENGTH = TokenIds.AUTHORIZATION_ID_LENGTH + 2 * SECRET_BYTES;

	private RefreshTokens() {
	}

	public static String generate(String authorizationId) {
		return authorizationId + SecureIds.randomHex(SECRET_BYTES);
	}

	/** The authorization id inside a refresh token, or {@code null} when the value cannot be one of ours. */
	public static @Nullable String authorizationIdOf(String refreshToken) {
		return SecureIds.isLowerHex(refreshToken, LENGTH) ? refreshToken.substring(0, TokenIds.AUTHORIZATION_ID_LENGTH) : null;
	}

}
