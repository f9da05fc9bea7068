package dev.portcullis.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.support.SecureIds;
import dev.portcullis.web.ClientAddressResolver;
import dev.portcullis.web.CookieRequestCache;
import dev.portcullis.web.CredentialCheckRefusedException;
import dev.portcullis.web.PageCsrfTokenRepository;
import dev.portcullis.web.PasswordAuthenticationManager;
import dev.portcullis.web.SecureCookiesWebFilter;
import dev.portcullis.web.admin.AdministratorAuthorizationManager;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.session.SessionIdGenerator;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebSession;
import org.springframework.web.util.HtmlUtils;

/**
 * Security of the pages people see (the authorization flow's login and consent, and the admin pages under
 * {@code /admin}, which need a signed-in user who is an active administrator at the time of each request; the admin
 * API {@code /admin/api/**} has its own stateless chain,
 * {@link AdminSecurityConfiguration}, and is left out here): a session with form login, CSRF
 * protection on every form, a fresh session id at login (no fixation), no framing (clickjacking), nothing loaded
 * from elsewhere. Checked before the bearer-token chain, which covers everything else.
 * <p>
 * A session is made only by a login: before it, the login form's CSRF token and the request to return to wait in
 * cookies, so anonymous visitors, however many, store nothing. Sessions live in Redis (Spring Session) when the
 * stores do, so any replica serves any page; in memory mode, in the replica's memory.
 */
@Configuration(proxyBeanMethods = false)
public class BrowserSecurityConfiguration {

	/** The 403 page; {@code %s} is where the sign-out form goes. */
	private static final String FORBIDDEN_PAGE = """
			<!DOCTYPE html>
			<html lang="en">
			<head>
			  <meta charset="utf-8">
			  <meta name="viewport" content="width=device-width, initial-scale=1">
			  <title>Not allowed · Portcullis</title>
			  <link rel="stylesheet" href="/assets/portcullis.css">
			</head>
			<body>
			<main>
			  <p class="brand">Portcullis</p>
			  <h1 id="forbidden-title">Not allowed</h1>
			  <div class="alert" role="alert">You are signed in, but this page is not for your account.</div>
			  <p class="muted">Only administrators may use the admin pages. Sign out to sign in as an administrator, or go
			  back.</p>
			%s</main>
			</body>
			</html>
			""";

	private static final String LOGIN = "/login";

	private static final String LOGOUT = "/logout";

	static final String[] PAGES = { "/Api/authorize", LOGIN, LOGOUT, "/assets/**" };

	static final String[] ADMIN_PAGES = { "/admin", "/admin/**" };

	private static final PathPatterns PAGE_PATHS = PathPatterns.anyOf(PAGES);

	/** The login page and its form's submission, whose CSRF token is kept in a cookie. */
	private static final PathPatterns LOGIN_FORM = PathPatterns.anyOf(LOGIN);

	/** The style sheet and script, served from the static resources. */
	static final PathPatterns ASSETS = PathPatterns.anyOf("/assets/**");

	/**
	 * What only a browser signed in to the gateway asks for: the login and logout pages, the admin pages and the admin
	 * API. A request there that no handler answers is the gateway's business, never a backend's.
	 */
	static final PathPatterns BROWSER_ONLY = PathPatterns
		.anyOf(Stream.concat(Stream.of(LOGIN, LOGOUT), Stream.of(ADMIN_PAGES)).toArray(String[]::new));

	private static final ServerRedirectStrategy REDIRECT = new DefaultServerRedirectStrategy();

	private static final RedirectServerLogoutSuccessHandler SIGNED_OUT = new RedirectServerLogoutSuccessHandler();

	private static final PathPatterns ADMIN_PAGE_PATHS = PathPatterns.anyOf(ADMIN_PAGES);

	/** The pages, and the admin pages but not the admin API. */
	static final ServerWebExchangeMatcher MATCHER = (exchange) -> (PAGE_PATHS.test(exchange)
			|| (ADMIN_PAGE_PATHS.test(exchange) && !AdminSecurityConfiguration.ADMIN_API_PATHS.test(exchange)))
					? MatchResult.match() : MatchResult.notMatch();

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain browserSecurityWebFilterChain(ServerHttpSecurity http, UserAuthenticator users,
			ClientAddressResolver addresses, AdministratorAuthorizationManager administrators,
			ServerProperties server) {
		CookieRequestCache requestCache = new CookieRequestCache();
		RedirectServerAuthenticationSuccessHandler loggedIn = new RedirectServerAuthenticationSuccessHandler("/admin");
		loggedIn.setRequestCache(requestCache);
		SecureCookiesWebFilter secureCookies = new SecureCookiesWebFilter(
				server.getReactive().getSession().getCookie().getSecure(), addresses::arrivedOverTls);
		// the style sheet sets no cookie: no session lookup (and save) for it
		WebFilter pageCookies = (exchange, chain) -> ASSETS.test(exchange) ? chain.filter(exchange)
				: secureCookies.filter(exchange, chain);
		// @formatter:off
		return http
				.securityMatcher(MATCHER)
				.addFilterAt(pageCookies, SecurityWebFiltersOrder.FIRST)
				.csrf((csrf) -> csrf.csrfTokenRepository(new PageCsrfTokenRepository(LOGIN_FORM::test))
						.csrfTokenRequestHandler(maskedCsrfTokens()))
				.requestCache((cache) -> cache.requestCache(requestCache))
				.authorizeExchange((exchange) -> exchange
						.pathMatchers("/login", "/assets/**").permitAll()
						.pathMatchers(ADMIN_PAGES).access(administrators)
						.anyExchange().authenticated())
				.formLogin((login) -> login
						.loginPage("/login")
						// Spring Security saves the login with a new session id (no fixation), then returns to the
						// request that needed it: the authorization request with all its parameters
						// inactive users cannot log in; whether one may use the admin pages is asked of the user store on
						// every request (AdministratorAuthorizationManager), never remembered from the login
						.authenticationManager(new PasswordAuthenticationManager(users::authenticate, "ROLE_USER", addresses))
						.authenticationFailureHandler(BrowserSecurityConfiguration::loginFailed)
						// a login that no request was waiting for lands on the admin pages (403 for non-administrators)
						.authenticationSuccessHandler(loggedIn))
				.logout((logout) -> logout.logoutSuccessHandler(BrowserSecurityConfiguration::signedOut))
				.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
				// a signed-in user who is not an administrator
				.exceptionHandling((exceptions) -> exceptions.accessDeniedHandler(forbiddenPage()))
				.headers((headers) -> headers
						.frameOptions((frame) -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
						.contentSecurityPolicy((csp) -> csp.policyDirectives(
								"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")))
				.build();
		// @formatter:on
	}

	/**
	 * Spring Security's default handler, which masks the CSRF token afresh in every page (BREACH), with a generator
	 * that reads no file on the event loop; its own {@code new SecureRandom()} is NativePRNG ({@link SecureIds}).
	 */
	private static XorServerCsrfTokenRequestAttributeHandler maskedCsrfTokens() {
		XorServerCsrfTokenRequestAttributeHandler handler = new XorServerCsrfTokenRequestAttributeHandler();
		handler.setSecureRandom(SecureIds.newRandom());
		return handler;
	}

	/**
	 * Session ids (Spring Session, in Redis mode) of 128 random bits from {@link SecureIds}, instead of
	 * {@code UUID.randomUUID()}'s 122 from NativePRNG, which reads {@code /dev/urandom} on the event loop that
	 * saves the session.
	 */
	@Bean
	SessionIdGenerator sessionIdGenerator() {
		return () -> SecureIds.randomHex(16);
	}

	/**
	 * Back to the login page: saying the password was wrong, or, when the guessing limits refused the attempt
	 * without checking it, how long to wait.
	 */
	private static Mono<Void> loginFailed(WebFilterExchange exchange, AuthenticationException failure) {
		String location = (failure instanceof CredentialCheckRefusedException refused)
				? LOGIN + "?wait=" + refused.retryAfter().toSeconds() : LOGIN + "?error";
		return REDIRECT.sendRedirect(exchange.getExchange(), URI.create(location));
	}

	/**
	 * Ends the session itself, in Redis too, not only the login in it; then to the login page, as Spring Security's
	 * default does. (After the logout handlers, which still write to the session: the CSRF token's removal saves it.)
	 */
	private static Mono<Void> signedOut(WebFilterExchange exchange, Authentication authentication) {
		return exchange.getExchange().getSession().flatMap(WebSession::invalidate)
			.then(SIGNED_OUT.onLogoutSuccess(exchange, authentication));
	}

	/**
	 * 403 as a plain page in the look of the others, rather than Spring Security's bare text, with a way out: a
	 * signed-in user who is no administrator can sign out there and sign in as someone else.
	 */
	private static ServerAccessDeniedHandler forbiddenPage() {
		return (exchange, denied) -> {
			Mono<CsrfToken> token = exchange.getAttributeOrDefault(CsrfToken.class.getName(), Mono.empty());
			return token.map((csrf) -> """
					  <form method="post" action="/logout">
					    <input type="hidden" name="%s" value="%s">
					    <button type="submit">Sign out</button>
					  </form>
					""".formatted(HtmlUtils.htmlEscape(csrf.getParameterName()), HtmlUtils.htmlEscape(csrf.getToken())))
				.defaultIfEmpty("")
				.flatMap((signOut) -> {
					byte[] page = FORBIDDEN_PAGE.formatted(signOut).getBytes(StandardCharsets.UTF_8);
					ServerHttpResponse response = exchange.getResponse();
					response.setStatusCode(HttpStatus.FORBIDDEN);
					response.getHeaders().setContentType(MediaType.TEXT_HTML);
					return response.writeWith(Mono.just(response.bufferFactory().wrap(page)));
				});
		};
	}

}
