package dev.portcullis.oauth2.grant;

import java.time.Clock;

import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.Pkce;
import dev.portcullis.oauth2.Scopes;
import dev.portcullis.oauth2.TokenRequest.AuthorizationCodeRequest;
import dev.portcullis.oauth2.TokenRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.SecureIds;
import dev.portcullis.support.TokenHashing;
import reactor.core.publisher.Mono;

/**
 * The authorization code grant's exchange, checked in league's order with league's errors and hints: the code
 * (consumed atomically, so it works once), its expiry, its client, its redirect URI, then PKCE. A code presented
 * again gets "Authorization code has been revoked" and ends the grant issued from it (RFC 6749 §4.1.2), which
 * SuiteCRM does not do.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.3">RFC 6749 §4.1.3</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7636#section-4.6">RFC 7636 §4.6</a>
 */
public final class AuthorizationCodeGrantHandler implements GrantHandler {

	/** Codes are 256 random bits in hex. */
	public static final int CODE_LENGTH = 64;

	private final TokenIssuer issuer;

	private final AuthorizationCodeStore codes;

	private final AuthorizationStore authorizations;

	private final UserStore users;

	private final Clock clock;

	public AuthorizationCodeGrantHandler(TokenIssuer issuer, AuthorizationCodeStore codes,
			AuthorizationStore authorizations, UserStore users, Clock clock) {
		this.issuer = issuer;
		this.codes = codes;
		this.authorizations = authorizations;
		this.users = users;
		this.clock = clock;
	}

	@Override
	public boolean supports(TokenRequest request) {
		return request instanceof AuthorizationCodeRequest;
	}

	@Override
	public Mono<IssuedTokens> handle(TokenRequest request, RegisteredClient client) {
		return Mono.defer(() -> {
			AuthorizationCodeRequest exchange = (AuthorizationCodeRequest) request;
			// code (REQUIRED)
			String code = exchange.code();
			if (code == null || code.isEmpty()) {
				throw OAuth2Exception.invalidRequest("code");
			}
			String codeHash = TokenHashing.sha256Hex(code);
			// @formatter:off
			return this.codes.consume(codeHash)
					.switchIfEmpty(Mono.defer(() -> refuseUnknownOrReused(code, codeHash)))
					.flatMap((authorizationCode) -> exchange(exchange, authorizationCode, client, codeHash));
			// @formatter:on
		});
	}

	/**
	 * A code that is not stored was never issued, has expired, or was already exchanged: reuse ends its grant. A
	 * well-formed code that is not stored is taken as expired, which is what it almost always is.
	 */
	private Mono<AuthorizationCode> refuseUnknownOrReused(String code, String codeHash) {
		// @formatter:off
		return this.codes.findConsumed(codeHash)
				.flatMap((authorizationId) -> (authorizationId.isEmpty() ? Mono.empty() : this.authorizations.remove(authorizationId))
						.then(Mono.<AuthorizationCode>error(OAuth2Exception.invalidRequestWithHint("Authorization code has been revoked"))))
				.switchIfEmpty(Mono.error(() -> OAuth2Exception.invalidRequestWithHint(SecureIds.isLowerHex(code, CODE_LENGTH)
						? "Authorization code has expired" : "Cannot decrypt the authorization code")));
		// @formatter:on
	}

	private Mono<IssuedTokens> exchange(AuthorizationCodeRequest request, AuthorizationCode code,
			RegisteredClient client, String codeHash) {
		if (!code.expiresAt().isAfter(this.clock.instant())) {
			throw OAuth2Exception.invalidRequestWithHint("Authorization code has expired");
		}
		if (!code.clientId().equals(client.id())) {
			throw OAuth2Exception.invalidRequestWithHint("Authorization code was not issued to this client");
		}
		// redirect_uri: "REQUIRED, if the redirect_uri parameter was included in the authorization request, and
		// their values MUST be identical."
		if (code.redirectUri() != null) {
			if (request.redirectUri() == null) {
				throw OAuth2Exception.invalidRequest("redirect_uri");
			}
			if (!code.redirectUri().equals(request.redirectUri())) {
				throw OAuth2Exception.invalidRequestWithHint("Invalid redirect URI");
			}
		}
		verifyPkce(code, request.codeVerifier());
		// @formatter:off
		return this.users.findById(code.userId())
				.filter(User::active)
				.switchIfEmpty(Mono.error(() -> OAuth2Exception.invalidRequestWithHint("Authorization code has been revoked")))
				.flatMap((user) -> this.issuer.issue(client, user.id(), GrantType.AUTHORIZATION_CODE,
						Scopes.requireAdminHolder(Scopes.requireAllowed(code.scopes(), client.scopes()), user),
						client.issuesRefreshTokens(),
						!code.scopes().isEmpty()))
				.flatMap((tokens) -> this.codes.recordExchange(codeHash,
								TokenIds.authorizationIdOf(tokens.accessToken().jti()),
								tokens.accessToken().issuedAt().plus(this.issuer.refreshTokenTtl(client)))
						.thenReturn(tokens));
		// @formatter:on
	}

	/** league's order: a verifier without a challenge, a missing or malformed verifier, then the comparison. */
	private static void verifyPkce(AuthorizationCode code, String verifier) {
		if (code.codeChallenge() == null) {
			if (verifier != null) {
				throw OAuth2Exception.invalidRequestWithHint("code_verifier received when no code_challenge is present");
			}
			return;
		}
		if (verifier == null) {
			throw OAuth2Exception.invalidRequest("code_verifier");
		}
		if (!Pkce.isWellFormed(verifier)) {
			throw OAuth2Exception.invalidRequestWithHint("Code Verifier must follow the specifications of RFC-7636.");
		}
		String method = (code.codeChallengeMethod() != null) ? code.codeChallengeMethod() : Pkce.PLAIN;
		if (!Pkce.verifies(verifier, code.codeChallenge(), method)) {
			throw OAuth2Exception.invalidGrant("Failed to verify `code_verifier`.");
		}
	}

}
