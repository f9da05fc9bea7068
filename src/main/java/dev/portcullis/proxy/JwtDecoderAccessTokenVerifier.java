package dev.portcullis.proxy;

import java.util.List;
import java.util.Set;

import dev.portcullis.oauth2.introspection.AccessTokenVerifier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Introspection's view of the proxy's bearer-token check: the decoder the proxy uses (the same bean, so whatever
 * changes its keys or issuers changes introspection with it), its refusals turned into "not active". A failure to ask
 * the revocation store stays a failure (503), never "active" and never "not active".
 */
public final class JwtDecoderAccessTokenVerifier implements AccessTokenVerifier {

	private final ReactiveJwtDecoder decoder;

	public JwtDecoderAccessTokenVerifier(ReactiveJwtDecoder decoder) {
		this.decoder = decoder;
	}

	@Override
	public Mono<VerifiedAccessToken> verify(String token) {
		// @formatter:off
		return Mono.defer(() -> this.decoder.decode(token))
				.onErrorResume(JwtException.class, (refused) -> Mono.empty())
				.mapNotNull(JwtDecoderAccessTokenVerifier::claims);
		// @formatter:on
	}

	/** The claims every token Portcullis signs has; a token without one of them is not one of ours. */
	private static @Nullable VerifiedAccessToken claims(Jwt jwt) {
		String subject = jwt.getSubject();
		String clientId = jwt.getClaimAsString("client_id");
		String issuer = jwt.getClaimAsString(JwtClaimNames.ISS);
		List<String> scopes = jwt.hasClaim("scopes") ? jwt.getClaimAsStringList("scopes") : List.of();
		if (jwt.getId() == null || subject == null || clientId == null || issuer == null || jwt.getIssuedAt() == null
				|| jwt.getExpiresAt() == null || scopes == null) {
			return null;
		}
		List<String> audience = (jwt.getAudience() != null) ? jwt.getAudience() : List.of();
		return new VerifiedAccessToken(jwt.getId(), subject, clientId, audience, Set.copyOf(scopes), issuer,
				jwt.getIssuedAt(), jwt.getNotBefore(), jwt.getExpiresAt());
	}

}
