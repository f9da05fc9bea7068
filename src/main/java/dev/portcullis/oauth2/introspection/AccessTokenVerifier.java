package dev.portcullis.oauth2.introspection;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The proxy's own check of a bearer token, as introspection asks it: so that a token is active at the introspection
 * endpoint exactly when the gateway's proxy would let it through (the same keys, issuers, clock skew and revocation
 * check), and no second verifier can drift from the first.
 */
@FunctionalInterface
public interface AccessTokenVerifier {

	/**
	 * The claims of {@code token} when the proxy would accept it now; empty for anything else (not a JWT, another
	 * key's signature, another issuer, expired, revoked). Fails only when the check could not be made, such as the
	 * revocation store being unreachable.
	 */
	Mono<VerifiedAccessToken> verify(String token);

	/**
	 * An access token's claims, as Portcullis writes them.
	 *
	 * @param jti the token id, which names the grant it was issued in
	 * @param subject {@code sub}: the user id, or the client id for a client acting as itself
	 * @param clientId {@code client_id}
	 * @param audience {@code aud}
	 * @param scopes {@code scopes}, league's array
	 * @param issuer {@code iss}
	 * @param issuedAt {@code iat}
	 * @param notBefore {@code nbf}, if the token has one
	 * @param expiresAt {@code exp}
	 */
	record VerifiedAccessToken(String jti, String subject, String clientId, List<String> audience, Set<String> scopes,
			String issuer, Instant issuedAt, @Nullable Instant notBefore, Instant expiresAt) {

		public VerifiedAccessToken {
			audience = List.copyOf(audience);
			scopes = Set.copyOf(scopes);
		}

	}

}
