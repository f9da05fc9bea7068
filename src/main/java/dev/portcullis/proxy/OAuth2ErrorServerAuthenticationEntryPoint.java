package dev.portcullis.proxy;

import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.web.OAuth2ResponseWriter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a proxied request whose bearer token is missing or unusable: 401 with league's {@code access_denied}
 * envelope and a hint saying why (what SuiteCRM clients parse), plus the RFC 6750 challenge. When the token could
 * not be checked because the revocation store is unreachable, 503 with {@code Retry-After}: the request is neither
 * forwarded nor blamed on the client.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6750#section-3">RFC 6750 §3</a>
 */
public final class OAuth2ErrorServerAuthenticationEntryPoint implements ServerAuthenticationEntryPoint {

	private final OAuth2ResponseWriter writer;

	private final MeterRegistry meters;

	public OAuth2ErrorServerAuthenticationEntryPoint(OAuth2ResponseWriter writer, MeterRegistry meters) {
		this.writer = writer;
		this.meters = meters;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		ServerHttpResponse response = exchange.getResponse();
		if (failure instanceof AuthenticationServiceException) {
			count("store_unavailable");
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
			return write(response, OAuth2Exception.temporarilyUnavailable().getError());
		}
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null) {
			// RFC 6750 §3.1: no error code when the request carried no credentials at all
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			count("missing");
			return write(response, OAuth2Exception.accessDenied(BearerTokenHints.MISSING).getError());
		}
		String hint = hint(failure);
		count(hint.equals(BearerTokenHints.EXPIRED) ? "expired"
				: hint.equals(BearerTokenHints.REVOKED) ? "revoked" : "not_verified");
		response.getHeaders()
			.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"" + hint + "\"");
		return write(response, OAuth2Exception.accessDenied(hint).getError());
	}

	/** {@code portcullis.proxy.refusals} by reason: missing, not_verified, expired, revoked, store_unavailable. */
	private void count(String reason) {
		this.meters.counter("portcullis.proxy.refusals", "reason", reason).increment();
	}

	private static String hint(AuthenticationException failure) {
		if (failure instanceof InvalidBearerTokenException && (BearerTokenHints.EXPIRED.equals(failure.getMessage())
				|| BearerTokenHints.REVOKED.equals(failure.getMessage()))) {
			return failure.getMessage();
		}
		return BearerTokenHints.NOT_VERIFIED;
	}

	private Mono<Void> write(ServerHttpResponse response, OAuth2Error error) {
		return this.writer.error(response, error);
	}

}
