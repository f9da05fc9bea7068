package dev.portcullis.web;

import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.RevocationStore;
import dev.portcullis.oauth2.token.TokenIds;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /Api/V8/logout}, answered by the gateway itself as SuiteCRM does: it ends the caller's access token
 * and the refresh token issued with it (the whole authorization), on every replica.
 */
public final class LogoutHandler {

	/** SuiteCRM's body, pretty-printed with 4 spaces as its {@code DocumentResponse} does. */
	private static final String LOGGED_OUT = """
			{
			    "meta": {
			        "message": "You have been successfully logged out"
			    },
			    "data": []
			}""";

	private static final MediaType JSON_API = MediaType.parseMediaType("application/vnd.api+json");

	private final AuthorizationStore authorizations;

	private final RevocationStore revocations;

	public LogoutHandler(AuthorizationStore authorizations, RevocationStore revocations) {
		this.authorizations = authorizations;
		this.revocations = revocations;
	}

	public Mono<ServerResponse> logout(ServerRequest request) {
		// @formatter:off
		return request.principal()
				.cast(JwtAuthenticationToken.class)
				.flatMap((token) -> {
					String jti = token.getToken().getId();
					// the authorization may already be gone (expired, revoked elsewhere): the token still ends here
					return this.authorizations.remove(TokenIds.authorizationIdOf(jti))
							.then(this.revocations.revoke(jti, token.getToken().getExpiresAt()));
				})
				.then(ServerResponse.ok().contentType(JSON_API).bodyValue(LOGGED_OUT));
		// @formatter:on
	}

}
