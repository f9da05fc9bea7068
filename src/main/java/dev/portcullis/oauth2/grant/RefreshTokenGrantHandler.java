package dev.portcullis.oauth2.grant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.Scopes;
import dev.portcullis.oauth2.TokenRequest.RefreshTokenRequest;
import dev.portcullis.oauth2.TokenRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.RefreshOutcome;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.token.RefreshTokens;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The refresh token grant with rotation: the new access and refresh token replace the old ones, which stop working
 * at once. The checks follow league's {@code RefreshTokenGrant} and answer with its errors (401
 * {@code invalid_request} "The refresh token is invalid."); a rotated-out token presented again ends the whole
 * grant (RFC 9700 §4.14.2), which SuiteCRM does not do. A client that gets no refresh tokens (client credentials, or
 * refresh tokens turned off) is refused as league 9 refuses a grant the client does not support.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-6">RFC 6749 §6</a>
 */
public final class RefreshTokenGrantHandler implements GrantHandler {

	private static final String REVOKED = "Token has been revoked";

	private final TokenIssuer issuer;

	private final AuthorizationStore authorizations;

	private final UserStore users;

	private final Duration reuseGracePeriod;

	private final Clock clock;

	public RefreshTokenGrantHandler(TokenIssuer issuer, AuthorizationStore authorizations, UserStore users,
			Duration reuseGracePeriod, Clock clock) {
		this.issuer = issuer;
		this.authorizations = authorizations;
		this.users = users;
		this.reuseGracePeriod = reuseGracePeriod;
		this.clock = clock;
	}

	@Override
	public boolean supports(TokenRequest request) {
		return request instanceof RefreshTokenRequest;
	}

	@Override
	public Mono<IssuedTokens> handle(TokenRequest request, RegisteredClient client) {
		return Mono.defer(() -> {
			RefreshTokenRequest refresh = (RefreshTokenRequest) request;
			// league 9 (AbstractGrant::getClientEntityOrFail): a client that does not support the grant is
			// unauthorized_client, checked before the token is read; RFC 6749 §5.2: "The authenticated client is not
			// authorized to use this authorization grant type."
			if (!client.issuesRefreshTokens()) {
				throw OAuth2Exception.unauthorizedClient("The client does not use refresh tokens");
			}
			// refresh_token (REQUIRED)
			String refreshToken = refresh.refreshToken();
			if (refreshToken == null || refreshToken.isEmpty()) {
				throw OAuth2Exception.invalidRequest("refresh_token");
			}
			String authorizationId = RefreshTokens.authorizationIdOf(refreshToken);
			if (authorizationId == null) {
				throw OAuth2Exception.invalidRefreshToken("Cannot decrypt the refresh token");
			}
			// @formatter:off
			return this.authorizations.findById(authorizationId)
					.switchIfEmpty(Mono.error(() -> OAuth2Exception.invalidRefreshToken(REVOKED)))
					.flatMap((authorization) -> rotate(refresh, refreshToken, authorization, client));
			// @formatter:on
		});
	}

	private Mono<IssuedTokens> rotate(RefreshTokenRequest request, String refreshToken, Authorization authorization,
			RegisteredClient client) {
		if (!authorization.clientId().equals(client.id())) {
			throw OAuth2Exception.invalidRefreshToken("Token is not linked to client");
		}
		Instant now = this.clock.instant();
		if (authorization.refreshTokenExpiresAt() == null || !authorization.refreshTokenExpiresAt().isAfter(now)) {
			throw OAuth2Exception.invalidRefreshToken("Token has expired");
		}
		if (!client.grantTypes().contains(authorization.grantType())) {
			// the client may no longer use the grant that issued this token: the grant ends
			return this.authorizations.remove(authorization.id()).then(Mono.error(OAuth2Exception.invalidRefreshToken(REVOKED)));
		}
		return activeUser(authorization).flatMap((user) -> {
			Set<String> scopes = scopes(request, authorization, client, user.orElse(null));
			return this.issuer.accessToken(client, authorization, scopes).flatMap((accessToken) -> {
				String newRefreshToken = RefreshTokens.generate(authorization.id());
				Authorization rotated = authorization.rotate(accessToken.jti(), accessToken.issuedAt(),
						accessToken.expiresAt(), TokenHashing.sha256Hex(newRefreshToken),
						accessToken.issuedAt().plus(this.issuer.refreshTokenTtl(client)), scopes);
				// RFC 6749 §5.1: scope "REQUIRED" in the answer when it differs from what was asked for
				boolean scopeInAnswer = request.scope() != null || !scopes.equals(authorization.scopes());
				return this.authorizations
					.rotate(rotated, TokenHashing.sha256Hex(refreshToken), now, this.reuseGracePeriod)
					.flatMap((outcome) -> (outcome == RefreshOutcome.ROTATED)
							? Mono.just(new IssuedTokens(accessToken, newRefreshToken, scopes, scopeInAnswer))
							: Mono.error(OAuth2Exception.invalidRefreshToken(REVOKED)));
			});
		});
	}

	/**
	 * scope (OPTIONAL): "MUST NOT include any scope not originally granted"; omitted means the same scope. Either way
	 * at most what the client is allowed now, and {@code admin} only for an active administrator: a refresh never
	 * brings back what an administrator took away.
	 */
	private static Set<String> scopes(RefreshTokenRequest request, Authorization authorization,
			RegisteredClient client, @Nullable User user) {
		Set<String> requested = Scopes.parse(request.scope());
		if (requested.isEmpty()) {
			Set<String> stillAllowed = new LinkedHashSet<>(authorization.scopes());
			stillAllowed.retainAll(client.scopes());
			return Scopes.withoutAdminUnlessHolder(Collections.unmodifiableSet(stillAllowed), user);
		}
		Scopes.requireAllowed(requested, authorization.scopes());
		Scopes.requireAllowed(requested, client.scopes());
		return Scopes.requireAdminHolder(requested, user);
	}

	/**
	 * The grant's user, or empty for a client acting as itself. A user who was deactivated or deleted since the grant
	 * gets no new tokens, and the grant ends.
	 */
	private Mono<Optional<User>> activeUser(Authorization authorization) {
		if (authorization.userId() == null) {
			return Mono.just(Optional.empty());
		}
		// @formatter:off
		return this.users.findById(authorization.userId())
				.filter(User::active)
				.map(Optional::of)
				.switchIfEmpty(Mono.defer(() -> this.authorizations.remove(authorization.id())
						.then(Mono.error(OAuth2Exception.invalidRefreshToken(REVOKED)))));
		// @formatter:on
	}

}
