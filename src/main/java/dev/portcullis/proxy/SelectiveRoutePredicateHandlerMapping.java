package dev.portcullis.proxy;

import java.util.function.Predicate;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.core.env.Environment;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Cloud Gateway's routes, looked up only for the requests {@code asked} accepts; the others are left to the
 * handler mappings after it. Two of them let the routes be asked first for proxied requests, before WebFlux's
 * router functions and controllers (which serve only Portcullis's own endpoints, and were asked in vain on every
 * proxied request: 4 % of its CPU samples outside the JIT compiler in bench/profile.sh proxy), and last for
 * Portcullis's own endpoints, as before, so that a catch-all route never shadows the token endpoint, a page or
 * logout, and a method an own endpoint does not answer still reaches a route.
 */
public final class SelectiveRoutePredicateHandlerMapping extends RoutePredicateHandlerMapping {

	private final Predicate<ServerWebExchange> asked;

	public SelectiveRoutePredicateHandlerMapping(FilteringWebHandler webHandler, RouteLocator routeLocator,
			GlobalCorsProperties globalCorsProperties, Environment environment, Predicate<ServerWebExchange> asked) {
		super(webHandler, routeLocator, globalCorsProperties, environment);
		this.asked = asked;
	}

	@Override
	protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
		return this.asked.test(exchange) ? super.getHandlerInternal(exchange) : Mono.empty();
	}

}
