package dev.portcullis.oauth2.grant;

import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.Scopes;
import dev.portcullis.oauth2.TokenRequest.ClientCredentialsRequest;
import dev.portcullis.oauth2.TokenRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import reactor.core.publisher.Mono;

/**
 * The client credentials grant: a confidential client acts as its associated user (SuiteCRM's "Associated User"),
 * or as itself when it has none ({@code sub} = the client id; SuiteCRM answers 500). No refresh token.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.4">RFC 6749 §4.4</a>
 */
public final class ClientCredentialsGrantHandler implements GrantHandler {

	private final TokenIssuer issuer;

	private final UserStore users;

	public ClientCredentialsGrantHandler(TokenIssuer issuer, UserStore users) {
		this.issuer = issuer;
		this.users = users;
	}

	@Override
	public boolean supports(TokenRequest request) {
		return request instanceof ClientCredentialsRequest;
	}

	@Override
	public Mono<IssuedTokens> handle(TokenRequest request, RegisteredClient client) {
		return Mono.defer(() -> {
			// scope (OPTIONAL): "The authorization server MUST NOT issue an access token with a scope that was not
			// granted to the client."
			Set<String> scopes = Scopes.requireAllowed(Scopes.parse(request.scope()), client.scopes());
			String associatedUserId = client.associatedUserId();
			if (associatedUserId == null) {
				return this.issuer.issue(client, null, GrantType.CLIENT_CREDENTIALS, scopes, false,
						request.scope() != null);
			}
			// @formatter:off
			return this.users.findById(associatedUserId)
					.filter(User::active)
					.switchIfEmpty(Mono.error(() -> OAuth2Exception.unauthorizedClient("The client's associated user is inactive or no longer exists")))
					.flatMap((user) -> this.issuer.issue(client, user.id(), GrantType.CLIENT_CREDENTIALS,
							Scopes.requireAdminHolder(scopes, user), false, request.scope() != null));
			// @formatter:on
		});
	}

}
