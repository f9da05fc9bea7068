package dev.portcullis.web;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.TokenRequest;
import dev.portcullis.oauth2.client.ClientAuthenticator;
import dev.portcullis.oauth2.grant.GrantHandler;
import dev.portcullis.oauth2.guard.ClientAddress;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /Api/access_token}: converts the request, authenticates the client, hands the request to the first
 * grant handler that supports it, and writes the result. The only place that turns errors into responses for this
 * endpoint.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-3.2">RFC 6749 §3.2</a>
 */
public final class TokenEndpointHandler {

	private final TokenRequestConverter converter;

	private final ClientAuthenticator clientAuthenticator;

	private final List<GrantHandler> grantHandlers;

	private final OAuth2ResponseWriter writer;

	private final TokenEndpointObserver observer;

	private final ClientAddressResolver addresses;

	public TokenEndpointHandler(TokenRequestConverter converter, ClientAuthenticator clientAuthenticator,
			List<GrantHandler> grantHandlers, OAuth2ResponseWriter writer, TokenEndpointObserver observer,
			ClientAddressResolver addresses) {
		this.converter = converter;
		this.clientAuthenticator = clientAuthenticator;
		this.grantHandlers = List.copyOf(grantHandlers);
		this.writer = writer;
		this.observer = observer;
		this.addresses = addresses;
	}

	public Mono<ServerResponse> handle(ServerRequest request) {
		// remembered for the refusal log line, once the request could be read
		AtomicReference<TokenRequest> parsed = new AtomicReference<>();
		// @formatter:off
		return this.converter.convert(request)
				.doOnNext(parsed::set)
				.flatMap((tokenRequest) -> this.clientAuthenticator.authenticate(tokenRequest.credentials(), tokenRequest.grantType())
						.flatMap((client) -> grantHandlerFor(tokenRequest).handle(tokenRequest, client)
								.doOnNext((tokens) -> this.observer.issued(tokenRequest, client, tokens))))
				.flatMap(this.writer::token)
				.onErrorResume((ex) -> {
					OAuth2Exception refusal = EndpointFailures.toOAuth2Exception(ex, "Token request");
					this.observer.refused(parsed.get(), refusal.getError());
					return this.writer.error(refusal, request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
				})
				// for the guessing limits, which count per client address
				.contextWrite((context) -> ClientAddress.put(context, this.addresses.resolve(request.exchange().getRequest())));
		// @formatter:on
	}

	private GrantHandler grantHandlerFor(TokenRequest request) {
		return this.grantHandlers.stream()
			.filter((handler) -> handler.supports(request))
			.findFirst()
			.orElseThrow(OAuth2Exception::unsupportedGrantType);
	}

}
