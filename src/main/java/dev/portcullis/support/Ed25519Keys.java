package dev.portcullis.support;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

/**
 * Ed25519 signing keys as OKP JWKs (RFC 8037 §2), generated and converted with the JDK's own {@code Ed25519}
 * (Nimbus's own conversion needs Google Tink). A JWK holds the raw 32-byte keys; the JDK reads a public key in its DER
 * wrapping, whose fixed prefix is below.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8037#section-2">RFC 8037 §2</a>
 */
public final class Ed25519Keys {

	/** SubjectPublicKeyInfo { id-Ed25519 }, BIT STRING of 32 bytes (RFC 8410 §4). */
	private static final byte[] PUBLIC_PREFIX = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
			0x00 };

	private static final int KEY_LENGTH = 32;

	private Ed25519Keys() {
	}

	/** A new Ed25519 key whose {@code kid} is its RFC 7638 thumbprint, bound to EdDSA. */
	public static OctetKeyPair generate() {
		try {
			KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
			byte[] encodedPublic = pair.getPublic().getEncoded();
			byte[] x = Arrays.copyOfRange(encodedPublic, encodedPublic.length - KEY_LENGTH, encodedPublic.length);
			byte[] d = ((EdECPrivateKey) pair.getPrivate()).getBytes()
				.orElseThrow(() -> new IllegalStateException("The JDK gave an Ed25519 key without its bytes"));
			return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d))
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.EdDSA)
				.keyIDFromThumbprint()
				.build();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Every Java 15+ platform has Ed25519", ex);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not compute the key's thumbprint", ex);
		}
	}

	/** The JDK public key of an Ed25519 JWK. */
	public static EdECPublicKey publicKey(OctetKeyPair key) throws JOSEException {
		requireEd25519(key);
		try {
			return (EdECPublicKey) KeyFactory.getInstance("Ed25519")
				.generatePublic(new X509EncodedKeySpec(der(PUBLIC_PREFIX, key.getX().decode())));
		}
		catch (GeneralSecurityException ex) {
			throw new JOSEException("Not a valid Ed25519 public key", ex);
		}
	}

	/** The raw 32-byte private key of an Ed25519 JWK with its private part. */
	public static byte[] privateKeyBytes(OctetKeyPair key) throws JOSEException {
		requireEd25519(key);
		if (key.getD() == null) {
			throw new JOSEException("The Ed25519 key has no private part");
		}
		byte[] d = key.getD().decode();
		if (d.length != KEY_LENGTH) {
			throw new JOSEException("An Ed25519 key has 32 bytes, not " + d.length);
		}
		return d;
	}

	/** The raw 32-byte public key (the JWK's {@code x}) of a JDK Ed25519 public key. */
	public static byte[] publicKeyBytes(EdECPublicKey key) {
		byte[] encoded = key.getEncoded();
		return Arrays.copyOfRange(encoded, encoded.length - KEY_LENGTH, encoded.length);
	}

	private static void requireEd25519(OctetKeyPair key) throws JOSEException {
		if (!Curve.Ed25519.equals(key.getCurve())) {
			throw new JOSEException("Only Ed25519 keys sign and verify EdDSA here, not " + key.getCurve());
		}
	}

	private static byte[] der(byte[] prefix, byte[] raw) throws JOSEException {
		if (raw.length != KEY_LENGTH) {
			throw new JOSEException("An Ed25519 key has 32 bytes, not " + raw.length);
		}
		byte[] der = Arrays.copyOf(prefix, prefix.length + KEY_LENGTH);
		System.arraycopy(raw, 0, der, prefix.length, KEY_LENGTH);
		return der;
	}

}
