package dev.portcullis.oauth2.grant;

import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.Scopes;
import dev.portcullis.oauth2.TokenRequest;
import dev.portcullis.oauth2.TokenRequest.PasswordRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.user.UserAuthenticator;
import reactor.core.publisher.Mono;

/**
 * The resource owner password credentials grant, checked in league's order: scope, then {@code username}, then
 * {@code password}, then the credentials themselves. Issues an access token, and a refresh token unless the client's
 * setting turns them off.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.3">RFC 6749 §4.3</a>
 */
public final class PasswordGrantHandler implements GrantHandler {

	private final TokenIssuer issuer;

	private final UserAuthenticator userAuthenticator;

	public PasswordGrantHandler(TokenIssuer issuer, UserAuthenticator userAuthenticator) {
		this.issuer = issuer;
		this.userAuthenticator = userAuthenticator;
	}

	@Override
	public boolean supports(TokenRequest request) {
		return request instanceof PasswordRequest;
	}

	@Override
	public Mono<IssuedTokens> handle(TokenRequest request, RegisteredClient client) {
		return Mono.defer(() -> {
			PasswordRequest password = (PasswordRequest) request;
			Set<String> scopes = Scopes.requireAllowed(Scopes.parse(password.scope()), client.scopes());
			// username (REQUIRED), password (REQUIRED)
			if (password.username() == null || password.username().isEmpty()) {
				throw OAuth2Exception.invalidRequest("username");
			}
			if (password.password() == null || password.password().isEmpty()) {
				throw OAuth2Exception.invalidRequest("password");
			}
			return this.userAuthenticator.authenticate(password.username(), password.password())
				.flatMap((user) -> this.issuer.issue(client, user.id(), GrantType.PASSWORD,
						Scopes.requireAdminHolder(scopes, user), client.issuesRefreshTokens(), password.scope() != null));
		});
	}

}
