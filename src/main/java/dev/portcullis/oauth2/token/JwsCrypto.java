package dev.portcullis.oauth2.token;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.portcullis.support.Ed25519Keys;

/**
 * Signers and verifiers for the {@link SigningAlgorithm}s, each bound to one algorithm. RS256 is Nimbus's own; EdDSA is
 * the JDK's {@code Ed25519} signature behind Nimbus's {@link JWSSigner}/{@link JWSVerifier} interfaces, because
 * Nimbus's Ed25519 classes need Google Tink, which is not on the classpath (and Spring Security's decoder has no
 * EdDSA: spring-security#8960).
 */
public final class JwsCrypto {

	private JwsCrypto() {
	}

	/** A signer with {@code key}'s private JWK, for its algorithm only. */
	public static JWSSigner signer(SigningKey key) throws JOSEException {
		JWK jwk = key.privateKey();
		if (key.algorithm().equals(JWSAlgorithm.RS256) && jwk instanceof RSAKey rsa) {
			return new RSASSASigner(rsa);
		}
		if (key.algorithm().equals(JWSAlgorithm.EdDSA) && jwk instanceof OctetKeyPair okp) {
			return new Ed25519Signer(okp);
		}
		throw new JOSEException("The key " + key.kid() + " cannot sign " + key.algorithm());
	}

	/** The JDK public key of {@code key}'s JWK. */
	public static PublicKey publicKey(SigningKey key) throws JOSEException {
		JWK jwk = key.privateKey();
		if (jwk instanceof RSAKey rsa) {
			return rsa.toRSAPublicKey();
		}
		if (jwk instanceof OctetKeyPair okp) {
			return Ed25519Keys.publicKey(okp);
		}
		throw new JOSEException("Unsupported signing key type " + jwk.getKeyType());
	}

	/**
	 * A verifier of {@code algorithm} with {@code key}: refused (an exception) when the key is not of that algorithm's
	 * type, so an RSA key never checks an EdDSA signature nor the other way round.
	 */
	public static JWSVerifier verifier(JWSAlgorithm algorithm, PublicKey key) throws JOSEException {
		if (algorithm.equals(JWSAlgorithm.RS256) && key instanceof RSAPublicKey rsa) {
			return new RSASSAVerifier(rsa);
		}
		if (algorithm.equals(JWSAlgorithm.EdDSA) && key instanceof EdECPublicKey ed) {
			return new Ed25519Verifier(ed);
		}
		throw new JOSEException("A " + key.getAlgorithm() + " key does not verify " + algorithm);
	}

	/** EdDSA with Ed25519 (RFC 8037 §3.1): the JDK's signature over the JWS signing input. */
	private static final class Ed25519Signer implements JWSSigner {

		private final java.security.PrivateKey key;

		private final JCAContext context = new JCAContext();

		Ed25519Signer(OctetKeyPair key) throws JOSEException {
			this.key = Ed25519Keys.privateKey(key);
		}

		@Override
		public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
			requireEdDsa(header);
			try {
				Signature signature = Signature.getInstance("Ed25519");
				signature.initSign(this.key);
				signature.update(signingInput);
				return Base64URL.encode(signature.sign());
			}
			catch (GeneralSecurityException ex) {
				throw new JOSEException("Ed25519 signing failed: " + ex.getMessage(), ex);
			}
		}

		@Override
		public Set<JWSAlgorithm> supportedJWSAlgorithms() {
			return Set.of(JWSAlgorithm.EdDSA);
		}

		@Override
		public JCAContext getJCAContext() {
			return this.context;
		}

	}

	private static final class Ed25519Verifier implements JWSVerifier {

		private final EdECPublicKey key;

		private final JCAContext context = new JCAContext();

		Ed25519Verifier(EdECPublicKey key) {
			this.key = key;
		}

		@Override
		public boolean verify(JWSHeader header, byte[] signedContent, Base64URL signature) throws JOSEException {
			requireEdDsa(header);
			try {
				Signature verifier = Signature.getInstance("Ed25519");
				verifier.initVerify(this.key);
				verifier.update(signedContent);
				return verifier.verify(signature.decode());
			}
			catch (java.security.SignatureException ex) {
				// a signature of the wrong length or encoding is a bad signature, not an error
				return false;
			}
			catch (GeneralSecurityException ex) {
				throw new JOSEException("Ed25519 verification failed: " + ex.getMessage(), ex);
			}
		}

		@Override
		public Set<JWSAlgorithm> supportedJWSAlgorithms() {
			return Set.of(JWSAlgorithm.EdDSA);
		}

		@Override
		public JCAContext getJCAContext() {
			return this.context;
		}

	}

	private static void requireEdDsa(JWSHeader header) throws JOSEException {
		if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
			throw new JOSEException("Only EdDSA, not " + header.getAlgorithm());
		}
	}

}
