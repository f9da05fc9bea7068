package dev.portcullis.proxy;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Remembers who is calling, from the verified token, for {@link BackendRequestHeadersFilter}, which writes it into the
 * backend request last. A global filter rather than a per-route one, so that no route can forget it. The headers
 * are not set here: the gateway's header filters, which run later inside the routing filter, remove whatever the
 * client names in {@code Connection}, the gateway's own headers included.
 */
public final class IdentityHeadersGlobalFilter implements GlobalFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (exchange.getAttributes().containsKey(CallerIdentity.ATTRIBUTE)) {
			// remembered by BearerTokenWebFilter: no need to ask the principal's Mono on every proxied request
			return chain.filter(exchange);
		}
		// @formatter:off
		return exchange.getPrincipal()
				.doOnNext((principal) -> CallerIdentity.remember(exchange, principal))
				.then(chain.filter(exchange));
		// @formatter:on
	}

	@Override
	public int getOrder() {
		// before the routing filter, after the gateway's own request preparation
		return Ordered.HIGHEST_PRECEDENCE + 1000;
	}

}
