package dev.portcullis.proxy;

import java.util.List;

import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.web.OAuth2ResponseWriter;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a request that carries more than one {@code Authorization} header, on every path and before any
 * security check: the gateway checks one of them, and a backend that reads another (one the gateway never checked,
 * a revoked token, say) must never be sent both. 400 {@code invalid_request} in league's envelope, with RFC 6750's
 * challenge.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6750#section-3.1">RFC 6750 §3.1</a>
 */
public final class SingleAuthorizationHeaderWebFilter implements WebFilter, Ordered {

	static final String HINT = "Send one Authorization header";

	private final OAuth2ResponseWriter writer;

	public SingleAuthorizationHeaderWebFilter(OAuth2ResponseWriter writer) {
		this.writer = writer;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		List<String> authorization = exchange.getRequest().getHeaders().get(HttpHeaders.AUTHORIZATION);
		if (authorization == null || authorization.size() < 2) {
			return chain.filter(exchange);
		}
		OAuth2Error error = OAuth2Exception.invalidRequestWithHint(HINT).getError();
		exchange.getResponse()
			.getHeaders()
			.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_request\", error_description=\"" + HINT + "\"");
		return this.writer.error(exchange.getResponse(), error);
	}

	@Override
	public int getOrder() {
		// before Spring Security's filter chain (-100) and everything else
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
