package dev.portcullis.oauth2.grant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.token.AccessToken;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.RefreshTokens;
import dev.portcullis.oauth2.token.TokenContext;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Issues the tokens of a new grant and records them as an {@link Authorization}, so that every token issued can be
 * listed, refreshed and revoked. Lifetimes are the client's own where it has them, else the gateway's. A client holds
 * at most a configured number of live grants per subject: beyond it, the grant that expires first ends.
 */
public final class TokenIssuer {

	private final JwtAccessTokenGenerator accessTokens;

	private final AuthorizationStore authorizations;

	private final Duration defaultAccessTokenTtl;

	private final Duration defaultRefreshTokenTtl;

	private final Clock clock;

	private final Scheduler signing;

	private final int maxGrantsPerClientAndSubject;

	private final GrantRecheck recheck;

	/**
	 * @param signing where tokens are signed (a millisecond of CPU each): not on the thread that delivered the
	 * preceding store answer, which with Redis is the one I/O thread of the shared connection, so that signing
	 * spreads over the cores and never holds up other requests' Redis replies
	 * @param maxGrantsPerClientAndSubject the live grants a client may hold for one subject; each new grant beyond
	 * it ends the one that expires first
	 * @param recheck asked once a grant is stored; when the client or user no longer allows it, the grant ends and
	 * the request gets {@code invalid_client}
	 */
	public TokenIssuer(JwtAccessTokenGenerator accessTokens, AuthorizationStore authorizations,
			Duration defaultAccessTokenTtl, Duration defaultRefreshTokenTtl, Clock clock, Scheduler signing,
			int maxGrantsPerClientAndSubject, GrantRecheck recheck) {
		this.accessTokens = accessTokens;
		this.authorizations = authorizations;
		this.defaultAccessTokenTtl = defaultAccessTokenTtl;
		this.defaultRefreshTokenTtl = defaultRefreshTokenTtl;
		this.clock = clock;
		this.signing = signing;
		this.maxGrantsPerClientAndSubject = maxGrantsPerClientAndSubject;
		this.recheck = recheck;
	}

	/**
	 * @param userId the resource owner, or {@code null} when the client acts as itself ({@code sub} = client id)
	 * @param withRefreshToken whether the grant issues a refresh token
	 * @param scopeRequested whether the request named scopes (then the response names the granted ones)
	 */
	public Mono<IssuedTokens> issue(RegisteredClient client, @Nullable String userId, GrantType grantType,
			Set<String> scopes, boolean withRefreshToken, boolean scopeRequested) {
		return Mono.defer(() -> {
			Instant now = this.clock.instant();
			String authorizationId = TokenIds.newAuthorizationId();
			String subject = Objects.requireNonNullElse(userId, client.id());
			AccessToken accessToken = this.accessTokens.generate(
					new TokenContext(authorizationId, client.id(), subject, scopes, now, accessTokenTtl(client)),
					client.tokenSettings().signingAlgorithm());
			String refreshToken = withRefreshToken ? RefreshTokens.generate(authorizationId) : null;
			Authorization authorization = new Authorization(authorizationId, client.id(), userId, subject, grantType,
					scopes, accessToken.jti(), accessToken.issuedAt(), accessToken.expiresAt(),
					(refreshToken != null) ? TokenHashing.sha256Hex(refreshToken) : null,
					(refreshToken != null) ? accessToken.issuedAt().plus(refreshTokenTtl(client)) : null,
					accessToken.issuedAt());
			// a client that asks for a token per call (a common misconfiguration) must not fill the store
			// @formatter:off
			return this.authorizations.saveKeepingAtMost(authorization, this.maxGrantsPerClientAndSubject)
				// the client or user may have been narrowed or deleted since the request started
				.then(this.recheck.stillAllows(client, userId, grantType, scopes))
				.flatMap((allowed) -> allowed ? Mono.just(new IssuedTokens(accessToken, refreshToken, scopes, scopeRequested))
						: this.authorizations.remove(authorizationId).then(Mono.error(OAuth2Exception::invalidClient)));
			// @formatter:on
		}).subscribeOn(this.signing);
	}

	/** A new access token within an existing authorization (refresh). */
	public Mono<AccessToken> accessToken(RegisteredClient client, Authorization authorization, Set<String> scopes) {
		return Mono.fromCallable(() -> this.accessTokens.generate(new TokenContext(authorization.id(), client.id(),
				authorization.subject(), scopes, this.clock.instant(), accessTokenTtl(client)),
				client.tokenSettings().signingAlgorithm()))
			.subscribeOn(this.signing);
	}

	public Duration accessTokenTtl(RegisteredClient client) {
		return Objects.requireNonNullElse(client.tokenSettings().accessTokenTtl(), this.defaultAccessTokenTtl);
	}

	public Duration refreshTokenTtl(RegisteredClient client) {
		return Objects.requireNonNullElse(client.tokenSettings().refreshTokenTtl(), this.defaultRefreshTokenTtl);
	}

}
