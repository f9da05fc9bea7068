package dev.portcullis.web;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.client.ClientAuthenticator;
import dev.portcullis.oauth2.guard.ClientAddress;
import dev.portcullis.oauth2.revocation.RevocationRequest;
import dev.portcullis.oauth2.revocation.TokenRevocation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): reads {@code token} from an {@code application/x-www-form-urlencoded} body,
 * authenticates the client as the token endpoint does (body or HTTP Basic, the same guessing limits), and answers 200
 * with an empty body whether or not there was anything the client could end (§2.2). Errors are league's envelope,
 * as at the token endpoint.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7009#section-2">RFC 7009 §2</a>
 */
public final class RevocationEndpointHandler {

	private final long maxBodyBytes;

	private final ClientAuthenticator clientAuthenticator;

	private final TokenRevocation revocation;

	private final OAuth2ResponseWriter writer;

	private final ClientAddressResolver addresses;

	public RevocationEndpointHandler(long maxBodyBytes, ClientAuthenticator clientAuthenticator,
			TokenRevocation revocation, OAuth2ResponseWriter writer, ClientAddressResolver addresses) {
		this.maxBodyBytes = maxBodyBytes;
		this.clientAuthenticator = clientAuthenticator;
		this.revocation = revocation;
		this.writer = writer;
		this.addresses = addresses;
	}

	public Mono<ServerResponse> handle(ServerRequest request) {
		String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		// @formatter:off
		return TokenRequestConverter.body(request, this.maxBodyBytes)
				.map((body) -> toRevocationRequest(request, body, authorization))
				.flatMap((revocationRequest) -> this.clientAuthenticator.authenticate(revocationRequest.credentials())
						.flatMap((client) -> this.revocation.revoke(revocationRequest, client)))
				.then(ServerResponse.ok()
						.header(HttpHeaders.CACHE_CONTROL, "no-store")
						.header(HttpHeaders.PRAGMA, "no-cache")
						.build())
				.onErrorResume((ex) -> this.writer.error(EndpointFailures.toOAuth2Exception(ex, "Revocation"), authorization))
				// for the guessing limits, which count per client address
				.contextWrite((context) -> ClientAddress.put(context, this.addresses.resolve(request.exchange().getRequest())));
		// @formatter:on
	}

	private static RevocationRequest toRevocationRequest(ServerRequest request, byte[] body,
			@Nullable String authorization) {
		TokenForm form = TokenForm.read(request, body);
		return new RevocationRequest(TokenRequestConverter.credentials(form.parameters(), authorization), form.token());
	}

	/** A request about one token (revocation, introspection): its form's parameters, and the {@code token} among them. */
	record TokenForm(RequestParameters parameters, String token) {

		/** The form, which must name the {@code token}; else {@code invalid_request}. */
		static TokenForm read(ServerRequest request, byte[] body) {
			boolean form = TokenRequestConverter.contentType(request)
				.filter(MediaType.APPLICATION_FORM_URLENCODED::equalsTypeAndSubtype)
				.isPresent();
			if (!form) {
				throw OAuth2Exception.invalidRequestWithHint("Send the parameters as application/x-www-form-urlencoded");
			}
			RequestParameters parameters;
			try {
				parameters = TokenRequestConverter.form(body);
			}
			catch (OAuth2Exception ex) {
				// the token endpoint answers a malformed body as league does; here it is just a malformed request
				throw OAuth2Exception.invalidRequestWithHint("The request body is not valid application/x-www-form-urlencoded");
			}
			String token = parameters.optional("token");
			if (token == null || token.isEmpty()) {
				throw OAuth2Exception.invalidRequest("token");
			}
			return new TokenForm(parameters, token);
		}

	}

}
