package dev.portcullis.oauth2.token;

import java.security.PublicKey;
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
import com.nimbusds.jose.crypto.impl.CriticalHeaderParamsDeferral;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.portcullis.support.Ed25519Keys;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signers and verifiers for the {@link SigningAlgorithm}s, each bound to one algorithm. RS256 is Nimbus's own; EdDSA is
 * Bouncy Castle's Ed25519 behind Nimbus's {@link JWSSigner}/{@link JWSVerifier} interfaces, because Nimbus's Ed25519
 * classes need Google Tink, which is not on the classpath (and Spring Security's decoder has no EdDSA:
 * spring-security#8960). Bouncy Castle rather than the JDK's own {@code Ed25519}: on Java 17 the JDK's signed about
 * 700 a second on one core of the benchmark machine, barely more than RSA-2048 (1.2 to 1.6 times in the same runs),
 * and Bouncy Castle's about 14,000 (bench/eddsa.sh prints both).
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
			return new Ed25519JwsSigner(okp);
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
			return new Ed25519JwsVerifier(ed);
		}
		throw new JOSEException("A " + key.getAlgorithm() + " key does not verify " + algorithm);
	}

	/** EdDSA with Ed25519 (RFC 8037 §3.1), Bouncy Castle's signature over the JWS signing input. */
	private static final class Ed25519JwsSigner implements JWSSigner {

		private final Ed25519PrivateKeyParameters key;

		private final JCAContext context = new JCAContext();

		Ed25519JwsSigner(OctetKeyPair key) throws JOSEException {
			this.key = new Ed25519PrivateKeyParameters(Ed25519Keys.privateKeyBytes(key), 0);
		}

		@Override
		public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
			requireEdDsa(header);
			Ed25519Signer signer = new Ed25519Signer();
			signer.init(true, this.key);
			signer.update(signingInput, 0, signingInput.length);
			return Base64URL.encode(signer.generateSignature());
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

	private static final class Ed25519JwsVerifier implements JWSVerifier {

		private final Ed25519PublicKeyParameters key;

		private final JCAContext context = new JCAContext();

		/** None deferred: a {@code crit} parameter this verifier does not understand fails it, as Nimbus's do. */
		private final CriticalHeaderParamsDeferral critical = new CriticalHeaderParamsDeferral();

		Ed25519JwsVerifier(EdECPublicKey key) {
			this.key = new Ed25519PublicKeyParameters(Ed25519Keys.publicKeyBytes(key), 0);
		}

		@Override
		public boolean verify(JWSHeader header, byte[] signedContent, Base64URL signature) throws JOSEException {
			requireEdDsa(header);
			// RFC 7515 §4.1.11
			if (!this.critical.headerPasses(header)) {
				return false;
			}
			Ed25519Signer verifier = new Ed25519Signer();
			verifier.init(false, this.key);
			verifier.update(signedContent, 0, signedContent.length);
			// a signature of the wrong length is a bad signature (false), not an error
			return verifier.verifySignature(signature.decode());
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
