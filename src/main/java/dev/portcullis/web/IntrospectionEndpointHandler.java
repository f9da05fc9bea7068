package dev.portcullis.web;

import dev.portcullis.oauth2.client.ClientAuthenticator;
import dev.portcullis.oauth2.guard.ClientAddress;
import dev.portcullis.oauth2.introspection.IntrospectionRequest;
import dev.portcullis.oauth2.introspection.TokenIntrospection;
import dev.portcullis.web.RevocationEndpointHandler.TokenForm;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /oauth2/introspect} (RFC 7662): reads {@code token} from an {@code application/x-www-form-urlencoded}
 * body ({@code token_type_hint} is accepted and not needed), authenticates the client as the revocation endpoint does
 * (body or HTTP Basic, the same guessing limits), and answers the token's state as JSON, {@code {"active":false}} for
 * anything that is not an active token. Errors are league's envelope: 401 {@code invalid_client} for a caller that
 * does not authenticate, 403 for a client that may not introspect.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7662#section-2">RFC 7662 §2</a>
 */
public final class IntrospectionEndpointHandler {

	private final long maxBodyBytes;

	private final ClientAuthenticator clientAuthenticator;

	private final TokenIntrospection introspection;

	private final OAuth2ResponseWriter writer;

	private final ClientAddressResolver addresses;

	public IntrospectionEndpointHandler(long maxBodyBytes, ClientAuthenticator clientAuthenticator,
			TokenIntrospection introspection, OAuth2ResponseWriter writer, ClientAddressResolver addresses) {
		this.maxBodyBytes = maxBodyBytes;
		this.clientAuthenticator = clientAuthenticator;
		this.introspection = introspection;
		this.writer = writer;
		this.addresses = addresses;
	}

	public Mono<ServerResponse> handle(ServerRequest request) {
		String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		// @formatter:off
		return TokenRequestConverter.body(request, this.maxBodyBytes)
				.map((body) -> TokenForm.read(request, body))
				.map((form) -> new IntrospectionRequest(TokenRequestConverter.credentials(form.parameters(), authorization), form.token()))
				.flatMap((introspectionRequest) -> this.clientAuthenticator.authenticate(introspectionRequest.credentials())
						.flatMap((client) -> this.introspection.introspect(introspectionRequest, client)))
				.flatMap(this.writer::introspection)
				.onErrorResume((ex) -> this.writer.error(EndpointFailures.toOAuth2Exception(ex, "Introspection"), authorization))
				// for the guessing limits, which count per client address
				.contextWrite((context) -> ClientAddress.put(context, this.addresses.resolve(request.exchange().getRequest())));
		// @formatter:on
	}

}
