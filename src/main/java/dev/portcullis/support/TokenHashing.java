package dev.portcullis.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of opaque tokens, the only form in which refresh tokens and codes are stored or looked up.
 */
public final class TokenHashing {

	private TokenHashing() {
	}

	/** Lower-case hex SHA-256 of the token's UTF-8 bytes. */
	public static String sha256Hex(String token) {
		return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
	}

	public static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
