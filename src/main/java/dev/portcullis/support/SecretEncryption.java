package dev.portcullis.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets kept at rest (private signing keys, backend credentials) with AES-256-GCM under a configured key.
 * The value's context (a signing key's {@code kid}, a backend's id) is bound as associated data, so a ciphertext
 * copied to another entry does not decrypt there. A ciphertext is {@code enc:v1:<key id>:<base64url(nonce ‖
 * ciphertext ‖ tag)>}; the key id (from a digest of the key) lets older keys still decrypt what they encrypted while
 * the configured key changes.
 *
 * <p>The nonce is 96 random bits from a DRBG ({@link SecureIds#newRandom()}), which reads no file after its first
 * use: NIST SP 800-38D allows 2<sup>32</sup> random nonces per key, far more than secrets are written.
 *
 * @see <a href="https://csrc.nist.gov/pubs/sp/800/38/d/final">NIST SP 800-38D</a>
 */
public final class SecretEncryption {

	private static final String PREFIX = "enc:v1:";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureIds::newRandom);

	private final String currentKeyId;

	private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

	/**
	 * @param key the key that encrypts (and decrypts), Base64 of 32 bytes
	 * @param previousKeys keys that only decrypt, Base64 of 32 bytes each
	 * @throws IllegalArgumentException naming what is wrong with a key (never its value)
	 */
	public SecretEncryption(String key, List<String> previousKeys) {
		this.currentKeyId = add(key, "the encryption key");
		for (int i = 0; i < previousKeys.size(); i++) {
			add(previousKeys.get(i), "previous encryption key " + i);
		}
	}

	private String add(String base64, String name) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(name + " is not Base64 (make one with: openssl rand -base64 32)");
		}
		if (bytes.length != 32) {
			throw new IllegalArgumentException(name + " must be 32 bytes (256 bits), not " + bytes.length
					+ " (make one with: openssl rand -base64 32)");
		}
		String id = keyId(bytes);
		this.keys.putIfAbsent(id, new SecretKeySpec(bytes, "AES"));
		return id;
	}

	/** Whether {@code value} is a ciphertext of this class (else, for example, a value stored before encryption). */
	public static boolean isEncrypted(String value) {
		return value.startsWith(PREFIX);
	}

	/** The ciphertext of {@code plaintext}, bound to {@code context}. */
	public String encrypt(String plaintext, String context) {
		byte[] nonce = new byte[NONCE_BYTES];
		RANDOM.get().nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
			return PREFIX + this.currentKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is part of every Java platform", ex);
		}
	}

	/**
	 * The plaintext of a ciphertext made by {@link #encrypt} with {@code context}.
	 *
	 * @throws IllegalArgumentException when the key that made it is not configured, or the ciphertext was changed
	 * or made for another context
	 */
	public String decrypt(String ciphertext, String context) {
		if (!isEncrypted(ciphertext)) {
			throw new IllegalArgumentException("Not an encrypted value");
		}
		String rest = ciphertext.substring(PREFIX.length());
		int colon = rest.indexOf(':');
		SecretKeySpec key = (colon > 0) ? this.keys.get(rest.substring(0, colon)) : null;
		if (key == null) {
			throw new IllegalArgumentException("The value of " + context + " was encrypted with a key that is not "
					+ "configured (key id " + ((colon > 0) ? rest.substring(0, colon) : "?") + ")");
		}
		try {
			byte[] in = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
			cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
			return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("The encrypted value of " + context + " does not decrypt: changed, or "
					+ "made for another entry", ex);
		}
	}

	/** The first 8 bytes of SHA-256 over a label and the key, as hex: names the key, tells nothing of it. */
	private static String keyId(byte[] key) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update("portcullis secret encryption key id".getBytes(StandardCharsets.US_ASCII));
			return java.util.HexFormat.of().formatHex(digest.digest(key), 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
