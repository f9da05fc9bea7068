package dev.portcullis.web;

import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.WebSessionServerCsrfTokenRepository;
import org.springframework.web.server.ServerWebExchange;

/**
 * Where the pages' CSRF tokens live: the login form's in a cookie, every other form's in the session. The login page
 * is shown to anyone, so a token kept in a session would make every anonymous view a session (in Redis, or filling
 * the in-memory store until nobody can log in). The other forms (consent, sign-out, the admin pages) are only for a
 * signed-in user, who has a session anyway; their token stays there, out of reach of whoever can set cookies for
 * the gateway's domain (a sibling subdomain, or anyone on a plain-HTTP path), which a cookie token is not.
 */
public final class PageCsrfTokenRepository implements ServerCsrfTokenRepository {

	/** The login form's CSRF cookie (Spring Security's default name, said here for the proxy, which drops it). */
	public static final String COOKIE_NAME = "XSRF-TOKEN";

	private final Predicate<ServerWebExchange> loginForm;

	private final CookieServerCsrfTokenRepository cookie = new CookieServerCsrfTokenRepository();

	private final WebSessionServerCsrfTokenRepository session = new WebSessionServerCsrfTokenRepository();

	/**
	 * @param loginForm which requests are the login page and its form's submission
	 */
	public PageCsrfTokenRepository(Predicate<ServerWebExchange> loginForm) {
		this.loginForm = loginForm;
		// HttpOnly (the default): the page carries the token in a hidden field, no script reads the cookie
		this.cookie.setCookieName(COOKIE_NAME);
		this.cookie.setCookieCustomizer((cookie) -> cookie.sameSite("Lax"));
	}

	@Override
	public Mono<CsrfToken> generateToken(ServerWebExchange exchange) {
		return delegate(exchange).generateToken(exchange);
	}

	@Override
	public Mono<Void> saveToken(ServerWebExchange exchange, @Nullable CsrfToken token) {
		return delegate(exchange).saveToken(exchange, token);
	}

	@Override
	public Mono<CsrfToken> loadToken(ServerWebExchange exchange) {
		return delegate(exchange).loadToken(exchange);
	}

	private ServerCsrfTokenRepository delegate(ServerWebExchange exchange) {
		return this.loginForm.test(exchange) ? this.cookie : this.session;
	}

}
