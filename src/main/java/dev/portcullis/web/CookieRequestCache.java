package dev.portcullis.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.savedrequest.CookieServerRequestCache;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.web.server.ServerWebExchange;

/**
 * Remembers the page a login should return to (the authorization request, with all its parameters) in a cookie
 * rather than a session, so that an anonymous visitor costs the gateway nothing to keep: Spring Security's
 * {@link CookieServerRequestCache} (HttpOnly, SameSite=Lax, a path on this gateway only), except that the cookie is
 * cleared only by the request it names. Spring's own clears it on every request that passes the filter, the login
 * page included, so the login would forget where to return. And the cookie lasts {@link #LIFETIME}, not until the
 * browser closes: an authorization request abandoned at the login page is not replayed at an unrelated login hours
 * later.
 */
public final class CookieRequestCache implements ServerRequestCache {

	/** Long enough to find a password; an authorization request is meant to end within minutes (as its code does). */
	static final Duration LIFETIME = Duration.ofMinutes(10);

	/** Spring Security's name for it, said here for the proxy, which drops it. */
	public static final String COOKIE = "REDIRECT_URI";

	private final CookieServerRequestCache cookie = new CookieServerRequestCache();

	@Override
	public Mono<Void> saveRequest(ServerWebExchange exchange) {
		return this.cookie.saveRequest(exchange).then(Mono.fromRunnable(() -> {
			List<ResponseCookie> saved = exchange.getResponse().getCookies().get(COOKIE);
			if (saved != null) {
				saved.replaceAll((cookie) -> cookie.mutate().maxAge(LIFETIME).build());
			}
		}));
	}

	@Override
	public Mono<URI> getRedirectUri(ServerWebExchange exchange) {
		return this.cookie.getRedirectUri(exchange);
	}

	@Override
	public Mono<ServerHttpRequest> removeMatchingRequest(ServerWebExchange exchange) {
		// @formatter:off
		return this.cookie.getRedirectUri(exchange)
				.filter((saved) -> saved.toString().equals(pathAndQuery(exchange.getRequest())))
				.flatMap((saved) -> this.cookie.removeMatchingRequest(exchange));
		// @formatter:on
	}

	private static String pathAndQuery(ServerHttpRequest request) {
		String query = request.getURI().getRawQuery();
		return request.getPath().pathWithinApplication().value() + ((query != null) ? "?" + query : "");
	}

}
