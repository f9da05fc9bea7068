package dev.portcullis.oauth2.introspection;

import java.time.Clock;
import java.util.List;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.introspection.AccessTokenVerifier.VerifiedAccessToken;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.token.RefreshTokens;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.TokenHashing;
import reactor.core.publisher.Mono;

/**
 * Answers whether a token is active, and whose it is (RFC 7662 §2), to a client allowed to ask: a confidential client
 * whose introspection setting is on, as a resource server's is. Such a client may ask about any client's tokens, as
 * §1 intends (a resource server introspects the tokens other clients present to it) and as Spring Authorization
 * Server and Keycloak let it. An access token is active exactly when the gateway's proxy would accept it
 * ({@link AccessTokenVerifier}); a refresh token while it is the current refresh token of a live grant and not
 * expired. Anything else is answered {@code active:false} and nothing more, whatever made it inactive.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7662">RFC 7662</a>
 */
public final class TokenIntrospection {

	/**
	 * Longer than any token Portcullis issues (an access token with the most and longest scopes is about 5,000
	 * characters), and than any bearer token the proxy could receive in its 8 KB of headers: longer is not ours.
	 */
	public static final int MAX_TOKEN_LENGTH = 8192;

	private static final String BEARER = "Bearer";

	private final AccessTokenVerifier accessTokens;

	private final AuthorizationStore authorizations;

	private final UserStore users;

	private final Clock clock;

	public TokenIntrospection(AccessTokenVerifier accessTokens, AuthorizationStore authorizations, UserStore users,
			Clock clock) {
		this.accessTokens = accessTokens;
		this.authorizations = authorizations;
		this.users = users;
		this.clock = clock;
	}

	/**
	 * The answer for {@code request}'s token, or {@link OAuth2Exception#introspectionNotAllowed()} for a client that may
	 * not introspect, which so learns nothing about the token.
	 * @param client the authenticated caller
	 */
	public Mono<IntrospectedToken> introspect(IntrospectionRequest request, RegisteredClient client) {
		// RFC 7662 §4: "the endpoint MUST also require some form of authorization to access this endpoint"; a public
		// client proves nothing, so the setting counts for a confidential one only (ClientPolicy refuses it otherwise)
		if (!client.confidential() || !client.tokenSettings().introspection()) {
			return Mono.error(OAuth2Exception.introspectionNotAllowed());
		}
		String token = request.token();
		if (token.length() > MAX_TOKEN_LENGTH) {
			return Mono.just(IntrospectedToken.inactive());
		}
		String authorizationId = RefreshTokens.authorizationIdOf(token);
		Mono<IntrospectedToken> answer = (authorizationId != null) ? refreshToken(authorizationId, token)
				: this.accessTokens.verify(token).flatMap(this::accessToken);
		return answer.defaultIfEmpty(IntrospectedToken.inactive());
	}

	private Mono<IntrospectedToken> accessToken(VerifiedAccessToken jwt) {
		// @formatter:off
		return this.authorizations.findById(TokenIds.authorizationIdOf(jwt.jti()))
				// verified and not revoked means the current token of a live grant; a grant that ended since is empty
				.filter((authorization) -> jwt.jti().equals(authorization.accessTokenJti()))
				.flatMap((authorization) -> username(authorization).map((username) -> new IntrospectedToken(true,
						jwt.scopes(), jwt.clientId(), username.isEmpty() ? null : username, BEARER, jwt.expiresAt(),
						jwt.issuedAt(), jwt.notBefore(), jwt.subject(), jwt.audience(), jwt.issuer(), jwt.jti())));
		// @formatter:on
	}

	private Mono<IntrospectedToken> refreshToken(String authorizationId, String token) {
		String presented = TokenHashing.sha256Hex(token);
		// @formatter:off
		return this.authorizations.findById(authorizationId)
				// the current refresh token only: one rotated away, or of a grant ended, is no longer active
				.filter((authorization) -> presented.equals(authorization.refreshTokenHash())
						&& authorization.refreshTokenExpiresAt() != null
						&& authorization.refreshTokenExpiresAt().isAfter(this.clock.instant()))
				.flatMap((authorization) -> username(authorization).map((username) -> new IntrospectedToken(true,
						authorization.scopes(), authorization.clientId(), username.isEmpty() ? null : username, null,
						authorization.refreshTokenExpiresAt(), authorization.accessTokenIssuedAt(), null,
						authorization.subject(), List.of(), null, null)));
		// @formatter:on
	}

	/** The grant's user's username, or "" when it acts for no user (or the user is gone). */
	private Mono<String> username(Authorization authorization) {
		String userId = authorization.userId();
		if (userId == null) {
			return Mono.just("");
		}
		return this.users.findById(userId).map(User::username).defaultIfEmpty("");
	}

}
