package dev.portcullis.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;

/**
 * Portcullis's own endpoints, the one list of them: the token, revocation, introspection, metadata and JWK Set
 * endpoints, the pages (authorization, login, logout, assets), the admin pages and API, SuiteCRM's logout, and the
 * actuator (the whole management server; on the gateway's port only when it shares that port). Spring Security's
 * chains secure these; every other request is a proxied one, whose bearer token
 * {@link dev.portcullis.proxy.BearerTokenWebFilter} checks.
 */
final class OwnEndpoints implements ServerWebExchangeMatcher, Predicate<ServerWebExchange> {

	/** Spring Boot's name for the management server's context. */
	private static final String MANAGEMENT_SERVER = "management";

	private final PathPatterns paths;

	/** The actuator's paths, on whichever port it is served. */
	private final PathPatterns actuatorPaths;

	/**
	 * @param actuatorOnGatewayPort whether the actuator is served on the gateway's port (management server port not
	 * set apart)
	 * @param actuatorBasePath the actuator's base path, {@code /actuator}
	 */
	OwnEndpoints(boolean actuatorOnGatewayPort, String actuatorBasePath) {
		List<String> paths = new ArrayList<>();
		paths.addAll(List.of(OAuth2EndpointConfiguration.TOKEN_PATHS));
		paths.addAll(List.of(OAuth2EndpointConfiguration.REVOCATION_PATH, OAuth2EndpointConfiguration.INTROSPECTION_PATH,
				OAuth2EndpointConfiguration.METADATA_PATH, OAuth2EndpointConfiguration.JWKS_PATH));
		paths.addAll(List.of(BrowserSecurityConfiguration.PAGES));
		// the admin API (AdminSecurityConfiguration.ADMIN_API) included
		paths.addAll(List.of(BrowserSecurityConfiguration.ADMIN_PAGES));
		paths.add(ProxyConfiguration.LOGOUT_PATH);
		String[] actuator = actuatorOnGatewayPort ? new String[] { actuatorBasePath, actuatorBasePath + "/**" }
				: new String[0];
		paths.addAll(List.of(actuator));
		this.paths = PathPatterns.anyOf(paths.toArray(String[]::new));
		this.actuatorPaths = PathPatterns.anyOf(actuatorBasePath, actuatorBasePath + "/**");
	}

	@Override
	public boolean test(ServerWebExchange exchange) {
		return this.paths.test(exchange) || onManagementServer(exchange);
	}

	/**
	 * Whether the request is for an own endpoint or the actuator, by its path alone (where the exchange is not known
	 * yet): on the management port too.
	 */
	boolean isOwnPath(ServerHttpRequest request) {
		return this.paths.test(request) || this.actuatorPaths.test(request);
	}

	/**
	 * Whether a route may be asked for this request after Portcullis's handlers, as before: an own endpoint's path
	 * with a method Portcullis does not answer ({@code GET /Api/V8/logout}). Not the assets: the static resources,
	 * which serve them, are asked after the routes. Never the login and logout pages, the admin pages or the admin
	 * API: behind a catch-all route, a signed-in administrator's request to an admin path no page answers reached the
	 * backend authorised by the session alone, without a token and without the caller's identity (404 now). Never the
	 * actuator's paths, nor anything on the management port:
	 * Spring Security's chain lets {@code /actuator/info/**} and {@code /actuator/prometheus/**} pass without a token
	 * (Boot's {@code EndpointRequest} matches below an endpoint's path, in any method), and a catch-all route would
	 * forward those the actuator does not answer to the backend (Spring Cloud Gateway's own guard on the management
	 * port compares the configured port, and misses it when that is 0).
	 */
	boolean leftToRoutes(ServerWebExchange exchange) {
		return this.paths.test(exchange) && !onManagementServer(exchange)
				&& !BrowserSecurityConfiguration.ASSETS.test(exchange)
				&& !BrowserSecurityConfiguration.BROWSER_ONLY.test(exchange) && !this.actuatorPaths.test(exchange);
	}

	private static boolean onManagementServer(ServerWebExchange exchange) {
		return WebServerApplicationContext.hasServerNamespace(exchange.getApplicationContext(), MANAGEMENT_SERVER);
	}

	@Override
	public Mono<MatchResult> matches(ServerWebExchange exchange) {
		return test(exchange) ? MatchResult.match() : MatchResult.notMatch();
	}

}
