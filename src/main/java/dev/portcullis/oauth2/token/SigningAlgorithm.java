package dev.portcullis.oauth2.token;

import java.util.Locale;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import dev.portcullis.support.Ed25519Keys;
import dev.portcullis.support.RsaKeys;
import org.jspecify.annotations.Nullable;

/**
 * The algorithms the gateway signs access tokens with, chosen per client as Keycloak's "access token signature
 * algorithm" is: RS256 unless an administrator says otherwise, since SuiteCRM's own verifiers (league/oauth2-server)
 * know RS256 only; EdDSA (Ed25519, RFC 8037) signs several times faster for the clients whose resource servers verify
 * it. Each algorithm has its own keys, rotated alike.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8037#section-3.1">RFC 8037 §3.1</a>
 */
public enum SigningAlgorithm {

	RS256(JWSAlgorithm.RS256), EdDSA(JWSAlgorithm.EdDSA);

	private final JWSAlgorithm jws;

	SigningAlgorithm(JWSAlgorithm jws) {
		this.jws = jws;
	}

	/** The {@code alg} of the tokens it signs and of its keys. */
	public JWSAlgorithm jws() {
		return this.jws;
	}

	/** A new private key for this algorithm, its {@code kid} its thumbprint. CPU work: call it off the event loop. */
	public JWK newKey() {
		return (this == EdDSA) ? Ed25519Keys.generate() : RsaKeys.generate();
	}

	/** The algorithm named by {@code name} (its {@code alg}, in any case), or {@code null} for another. */
	public static @Nullable SigningAlgorithm parse(@Nullable String name) {
		for (SigningAlgorithm algorithm : values()) {
			if (algorithm.name().toLowerCase(Locale.ROOT).equals((name != null) ? name.toLowerCase(Locale.ROOT) : null)) {
				return algorithm;
			}
		}
		return null;
	}

	/** The algorithm of {@code jws}, or {@code null} when the gateway does not sign with it. */
	public static @Nullable SigningAlgorithm of(@Nullable JWSAlgorithm jws) {
		for (SigningAlgorithm algorithm : values()) {
			if (algorithm.jws.equals(jws)) {
				return algorithm;
			}
		}
		return null;
	}

}
