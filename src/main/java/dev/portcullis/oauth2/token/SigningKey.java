package dev.portcullis.oauth2.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import org.jspecify.annotations.Nullable;

/**
 * One key of the {@link SigningKeySet}: its {@code kid}, the one JWS algorithm it signs with (a token that names
 * another algorithm is never verified with it), the private JWK, and where it is in its life. Nothing here is
 * specific to one algorithm: RSA (RS256) and Ed25519 (EdDSA) keys rotate alike, each algorithm's keys apart.
 *
 * @param kid the key's id, in the header of every token it signs and in the published JWK
 * @param algorithm the JWS algorithm bound to the key
 * @param privateKey the private JWK, whose {@code kid} is {@code kid}
 * @param state where the key is in its life
 * @param createdAt when the key was made (a next key is published from then on)
 * @param activatedAt when it became the active key; {@code null} while it is next
 * @param retiredAt when it stopped signing; {@code null} until it is retired
 * @param acceptedUntil for a retired key, the latest expiry of a token it can have signed: it is published and
 * accepted until then, and removed after; {@code null} for a retired key that is configured (accepted for as long
 * as the configuration lists it) and for the other states
 */
public record SigningKey(String kid, JWSAlgorithm algorithm, JWK privateKey, State state, Instant createdAt,
		@Nullable Instant activatedAt, @Nullable Instant retiredAt, @Nullable Instant acceptedUntil) {

	/** Where a key is in its life: next (published, not signing), active (signing), retired (published, accepted). */
	public enum State {

		NEXT, ACTIVE, RETIRED

	}

	public SigningKey {
		Objects.requireNonNull(kid, "kid");
		if (!kid.equals(privateKey.getKeyID())) {
			throw new IllegalArgumentException("The key's kid " + kid + " differs from its JWK's " + privateKey.getKeyID());
		}
		if (privateKey.getAlgorithm() != null && !algorithm.equals(privateKey.getAlgorithm())) {
			throw new IllegalArgumentException("The key " + kid + " is bound to " + privateKey.getAlgorithm() + ", not "
					+ algorithm);
		}
		if (SigningAlgorithm.of(algorithm) == null) {
			throw new IllegalArgumentException("The key " + kid + " is bound to " + algorithm
					+ ", which the gateway does not sign with");
		}
		if (!privateKey.isPrivate()) {
			throw new IllegalArgumentException("The signing key " + kid + " has no private part");
		}
		if ((state != State.NEXT) == (activatedAt == null) || (state == State.RETIRED) == (retiredAt == null)
				|| (state != State.RETIRED && acceptedUntil != null)) {
			throw new IllegalArgumentException("The dates of key " + kid + " do not fit its state " + state);
		}
	}

	/** A new key, published from {@code now} and signing once promoted. */
	public static SigningKey next(JWK privateKey, JWSAlgorithm algorithm, Instant now) {
		return new SigningKey(privateKey.getKeyID(), algorithm, privateKey, State.NEXT, now, null, null, null);
	}

	/** A key that signs at once: the first one, one taken over from an older store, or a configured one. */
	public static SigningKey active(JWK privateKey, JWSAlgorithm algorithm, Instant now) {
		return new SigningKey(privateKey.getKeyID(), algorithm, privateKey, State.ACTIVE, now, now, null, null);
	}

	/** A configured key other than the first: it signs nothing, and is accepted while the configuration lists it. */
	public static SigningKey configuredRetired(JWK privateKey, JWSAlgorithm algorithm, Instant now) {
		return new SigningKey(privateKey.getKeyID(), algorithm, privateKey, State.RETIRED, now, now, now, null);
	}

	SigningKey activated(Instant now) {
		return new SigningKey(this.kid, this.algorithm, this.privateKey, State.ACTIVE, this.createdAt, now, null, null);
	}

	/**
	 * @param longestTokenLifetime the longest lifetime a token it signed can have, so its tokens stay valid
	 */
	SigningKey retired(Instant now, Duration longestTokenLifetime) {
		return new SigningKey(this.kid, this.algorithm, this.privateKey, State.RETIRED, this.createdAt,
				(this.activatedAt != null) ? this.activatedAt : now, now, now.plus(longestTokenLifetime));
	}

	/** Whether tokens with this {@code kid} are accepted (and the key published) at {@code now}. */
	public boolean isAcceptedAt(Instant now) {
		return this.acceptedUntil == null || now.isBefore(this.acceptedUntil);
	}

	/** The public half, as the JWK Set publishes it. */
	public JWK publicKey() {
		return this.privateKey.toPublicJWK();
	}

	/** Whether {@code jws} names this key's algorithm and carries its valid signature. */
	public boolean verifies(JWSObject jws) {
		if (!this.algorithm.equals(jws.getHeader().getAlgorithm())) {
			return false;
		}
		try {
			return jws.verify(JwsCrypto.verifier(this.algorithm, JwsCrypto.publicKey(this)));
		}
		catch (JOSEException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		// never the private key
		return "SigningKey[" + this.kid + ", " + this.algorithm + ", " + this.state + "]";
	}

}
