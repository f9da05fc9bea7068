package dev.portcullis.support;

import java.io.ByteArrayOutputStream;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import org.jspecify.annotations.Nullable;

/**
 * RSA signing keys as JWKs: read from PEM (PKCS#8 {@code BEGIN PRIVATE KEY}, as {@code openssl genpkey} writes, or
 * PKCS#1 {@code BEGIN RSA PRIVATE KEY}, as SuiteCRM's documented {@code openssl genrsa} writes), or generated.
 */
public final class RsaKeys {

	/** rsaEncryption OID with NULL parameters, the AlgorithmIdentifier of a PKCS#8 RSA key. */
	private static final byte[] RSA_ALGORITHM_IDENTIFIER = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
			(byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

	private RsaKeys() {
	}

	/**
	 * @param keyId the {@code kid}, or {@code null} for the RFC 7638 thumbprint
	 * @throws IllegalArgumentException when the text is not an unencrypted RSA private key of at least 2048 bits
	 */
	public static RSAKey fromPem(String pem, @Nullable String keyId) {
		boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
		if (!pkcs1 && !pem.contains("BEGIN PRIVATE KEY")) {
			throw new IllegalArgumentException(
					"Expected a PEM RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY, not encrypted)");
		}
		String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		byte[] der;
		try {
			der = Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The PEM private key is not valid Base64", ex);
		}
		try {
			KeyFactory factory = KeyFactory.getInstance("RSA");
			RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory
				.generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? wrapPkcs1(der) : der));
			if (privateKey.getModulus().bitLength() < 2048) {
				throw new IllegalArgumentException("The RSA signing key must have at least 2048 bits");
			}
			RSAPublicKey publicKey = (RSAPublicKey) factory
				.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
			return build(publicKey, privateKey, keyId);
		}
		catch (NoSuchAlgorithmException | InvalidKeySpecException | ClassCastException ex) {
			throw new IllegalArgumentException("The PEM private key is not a usable RSA private key", ex);
		}
	}

	/** A new RSA-2048 key whose {@code kid} is its thumbprint. CPU-heavy: call it off the event loop. */
	public static RSAKey generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			return build((RSAPublicKey) pair.getPublic(), (RSAPrivateCrtKey) pair.getPrivate(), null);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has RSA", ex);
		}
	}

	private static RSAKey build(RSAPublicKey publicKey, RSAPrivateCrtKey privateKey, @Nullable String keyId) {
		RSAKey.Builder builder = new RSAKey.Builder(publicKey).privateKey(privateKey)
			.keyUse(KeyUse.SIGNATURE)
			.algorithm(com.nimbusds.jose.JWSAlgorithm.RS256);
		try {
			return (keyId != null) ? builder.keyID(keyId).build() : builder.keyIDFromThumbprint().build();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not compute the key's thumbprint", ex);
		}
	}

	/** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { the PKCS#1 RSAPrivateKey } }. */
	private static byte[] wrapPkcs1(byte[] pkcs1) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(new byte[] { 0x02, 0x01, 0x00 });
		body.writeBytes(RSA_ALGORITHM_IDENTIFIER);
		body.write(0x04);
		body.writeBytes(derLength(pkcs1.length));
		body.writeBytes(pkcs1);
		ByteArrayOutputStream sequence = new ByteArrayOutputStream();
		sequence.write(0x30);
		sequence.writeBytes(derLength(body.size()));
		sequence.writeBytes(body.toByteArray());
		return sequence.toByteArray();
	}

	private static byte[] derLength(int length) {
		if (length < 0x80) {
			return new byte[] { (byte) length };
		}
		if (length < 0x100) {
			return new byte[] { (byte) 0x81, (byte) length };
		}
		if (length < 0x10000) {
			return new byte[] { (byte) 0x82, (byte) (length >> 8), (byte) length };
		}
		return new byte[] { (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length };
	}

}
