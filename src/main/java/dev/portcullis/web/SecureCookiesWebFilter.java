package dev.portcullis.web;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Marks every cookie the pages set (the session's, the login form's CSRF token, the page to return to after login)
 * {@code Secure} when the request came over TLS, directly or through a trusted proxy that says so
 * ({@link ClientAddressResolver#arrivedOverTls}), or always or never when {@code server.reactive.session.cookie.secure}
 * says so. Spring decides each of them from the request's own scheme, which is {@code http} behind a proxy that ends
 * TLS, so a session cookie would also travel over plain HTTP.
 */
public final class SecureCookiesWebFilter implements WebFilter {

	private final @Nullable Boolean configured;

	private final Predicate<ServerHttpRequest> overTls;

	/**
	 * @param configured {@code true} or {@code false} to decide for every request, {@code null} to decide by
	 * {@code overTls}
	 * @param overTls whether a request came over TLS
	 */
	public SecureCookiesWebFilter(@Nullable Boolean configured, Predicate<ServerHttpRequest> overTls) {
		this.configured = configured;
		this.overTls = overTls;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		boolean secure = (this.configured != null) ? this.configured : this.overTls.test(exchange.getRequest());
		ServerHttpResponse response = exchange.getResponse();
		// after the session is looked up, so that this runs after the session manager's own before-commit action,
		// which is where the session cookie is set (actions run in the order they were added)
		// @formatter:off
		return exchange.getSession()
				.doOnNext((session) -> response.beforeCommit(() -> Mono.fromRunnable(() -> mark(response.getCookies(), secure))))
				.then(Mono.defer(() -> chain.filter(exchange)));
		// @formatter:on
	}

	private static void mark(MultiValueMap<String, ResponseCookie> cookies, boolean secure) {
		for (Map.Entry<String, List<ResponseCookie>> entry : cookies.entrySet()) {
			entry.setValue(entry.getValue().stream().map((cookie) -> (cookie.isSecure() == secure) ? cookie
					: cookie.mutate().secure(secure).build()).toList());
		}
	}

}
