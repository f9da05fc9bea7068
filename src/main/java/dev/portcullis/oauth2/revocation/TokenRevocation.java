package dev.portcullis.oauth2.revocation;

import java.text.ParseException;
import java.time.Clock;
import java.util.function.Predicate;

import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.token.RefreshTokens;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.SigningKey;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Ends a token a client presents (RFC 7009 §2.1), and with it the whole grant it belongs to: revoking a refresh
 * token ends the access token issued with it, and revoking the current access token ends its refresh token, as
 * SuiteCRM's logout does (so "sign out" works whichever token a client library revokes). Only the client the token
 * was issued to can end it; anything else (a token of another client, an expired, rotated-out, forged or unknown
 * token) changes nothing and is answered the same way, so the endpoint tells a caller nothing about tokens it does not
 * hold. The token type is recognised by its shape, so {@code token_type_hint} is not needed (§2.2 lets the server
 * search every type).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7009">RFC 7009</a>
 */
public final class TokenRevocation {

	private final AuthorizationStore authorizations;

	private final CurrentSigningKeys keys;

	private final Clock clock;

	public TokenRevocation(AuthorizationStore authorizations, CurrentSigningKeys keys, Clock clock) {
		this.authorizations = authorizations;
		this.keys = keys;
		this.clock = clock;
	}

	/** Emits when the token's grant has ended, or at once when there is nothing this client may end. */
	public Mono<Void> revoke(RevocationRequest request, RegisteredClient client) {
		String token = request.token();
		String authorizationId = RefreshTokens.authorizationIdOf(token);
		if (authorizationId != null) {
			String presented = TokenHashing.sha256Hex(token);
			return end(authorizationId, client, (authorization) -> presented.equals(authorization.refreshTokenHash()));
		}
		String jti = issuedJti(token);
		if (jti != null) {
			return end(TokenIds.authorizationIdOf(jti), client, (authorization) -> jti.equals(authorization.accessTokenJti()));
		}
		return Mono.empty();
	}

	private Mono<Void> end(String authorizationId, RegisteredClient client,
			Predicate<Authorization> isCurrentToken) {
		// @formatter:off
		return this.authorizations.findById(authorizationId)
				.filter((authorization) -> authorization.clientId().equals(client.id()) && isCurrentToken.test(authorization))
				// which revokes its current access token too, announced to every replica's proxy at once
				.flatMap((authorization) -> this.authorizations.remove(authorization.id()))
				.then();
		// @formatter:on
	}

	/**
	 * The {@code jti} of an access token Portcullis signed with one of its keys, or {@code null} for anything else.
	 * Expiry is not checked: revoking the current access token of a grant ends the grant even after that token expired.
	 */
	private @Nullable String issuedJti(String token) {
		try {
			SignedJWT jwt = SignedJWT.parse(token);
			// one of the keys in use, and the algorithm bound to it
			SigningKey key = this.keys.current()
				.verificationKey(jwt.getHeader().getKeyID(), jwt.getHeader().getAlgorithm(), this.clock.instant());
			if (key == null || !key.verifies(jwt)) {
				return null;
			}
			String jti = jwt.getJWTClaimsSet().getJWTID();
			return (jti != null && TokenIds.isIssuedJti(jti)) ? jti : null;
		}
		catch (ParseException | RuntimeException ex) {
			// whatever else a client sends is simply not one of our tokens
			return null;
		}
	}

}
