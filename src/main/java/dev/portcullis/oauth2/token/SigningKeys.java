package dev.portcullis.oauth2.token;

import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The RSA key that signs access tokens, and the public keys that verify them (published as a JWK Set).
 *
 * @param active the private key that signs new tokens; its {@code kid} goes into every token header
 * @param verificationKeys public keys accepted when verifying, the active one first
 */
public record SigningKeys(RSAKey active, List<RSAKey> verificationKeys) {

	public SigningKeys(RSAKey active) {
		this(active, List.of(active.toPublicJWK()));
	}

	/** The public JWK Set, for {@code /.well-known/jwks.json}. */
	public JWKSet publicJwkSet() {
		return new JWKSet(List.copyOf(this.verificationKeys)).toPublicJWKSet();
	}

}
