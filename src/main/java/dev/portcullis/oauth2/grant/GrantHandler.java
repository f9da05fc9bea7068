package dev.portcullis.oauth2.grant;

import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.TokenRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import reactor.core.publisher.Mono;

/**
 * One grant type: it validates the request for an already authenticated client, in the order of its RFC section
 * (and of league's grant class), and issues the tokens.
 */
public interface GrantHandler {

	boolean supports(TokenRequest request);

	/**
	 * @param client the authenticated client, allowed to use this grant
	 * @return the issued tokens, or an error with an {@link OAuth2Exception}
	 */
	Mono<IssuedTokens> handle(TokenRequest request, RegisteredClient client);

}
