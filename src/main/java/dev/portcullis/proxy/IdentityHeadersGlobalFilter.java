package dev.portcullis.proxy;

import java.util.List;

import dev.portcullis.config.PortcullisProperties;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells the backend who is calling, on every route: removes whatever the client sent under the identity header
 * names (so they cannot be spoofed), then sets them from the verified token: subject, client id and scopes.
 * A global filter rather than a per-route one, so that no route can forget the removal.
 */
public final class IdentityHeadersGlobalFilter implements GlobalFilter, Ordered {

	private final PortcullisProperties.IdentityHeaders names;

	public IdentityHeadersGlobalFilter(PortcullisProperties.IdentityHeaders names) {
		this.names = names;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		// @formatter:off
		return exchange.getPrincipal()
				.filter(JwtAuthenticationToken.class::isInstance)
				.cast(JwtAuthenticationToken.class)
				.map((token) -> withIdentity(exchange, token))
				.defaultIfEmpty(withoutIdentity(exchange))
				.flatMap(chain::filter);
		// @formatter:on
	}

	private ServerWebExchange withIdentity(ServerWebExchange exchange, JwtAuthenticationToken token) {
		List<String> scopes = token.getToken().getClaimAsStringList("scopes");
		String clientId = token.getToken().getClaimAsString("client_id");
		ServerHttpRequest request = exchange.getRequest().mutate().headers((headers) -> {
			removeIdentity(headers);
			headers.set(this.names.getSubject(), token.getToken().getSubject());
			if (clientId != null) {
				headers.set(this.names.getClientId(), clientId);
			}
			headers.set(this.names.getScopes(), (scopes != null) ? String.join(" ", scopes) : "");
		}).build();
		return exchange.mutate().request(request).build();
	}

	private ServerWebExchange withoutIdentity(ServerWebExchange exchange) {
		return exchange.mutate().request(exchange.getRequest().mutate().headers(this::removeIdentity).build()).build();
	}

	private void removeIdentity(org.springframework.http.HttpHeaders headers) {
		headers.remove(this.names.getSubject());
		headers.remove(this.names.getClientId());
		headers.remove(this.names.getScopes());
	}

	@Override
	public int getOrder() {
		// before the routing filter, after the gateway's own request preparation
		return Ordered.HIGHEST_PRECEDENCE + 1000;
	}

}
