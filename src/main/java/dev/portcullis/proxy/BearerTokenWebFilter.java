package dev.portcullis.proxy;

import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.firewall.HttpStatusExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The bearer-token check of every proxied request (any path but Portcullis's own endpoints, which Spring Security's
 * chains keep): what the resource-server chain did for them, in one filter. The same firewall, the same security
 * response headers ({@link SecurityResponseHeaders}), the token from the {@code Authorization} header only
 * ({@link AuthorizationHeaderBearerTokenConverter}), checked by the same authentication manager
 * ({@link RevocationCheckingJwtDecoder}), refused by the same entry point (401 with the challenge, 503 when the
 * revocation store is down, counted in {@code portcullis_proxy_refusals_total}); the gateway's filters find the
 * caller in {@link ServerWebExchange#getPrincipal()}, as before.
 * <p>
 * Why not Spring Security's chain: Portcullis spent ~290 µs CPU per proxied request where plain Spring Cloud Gateway
 * spends ~150 µs (bench/run.sh, issue 16), and Spring Security's frames were 13 % of its samples outside the JIT
 * compiler (bench/profile.sh proxy; the token's verification 1 %): three chains' matchers, the resource-server chain's
 * filters and security context, and the firewall's wrappers, which rebuild the request and its headers on every
 * read and check them again. Here each check runs once, synchronously where it can.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6750#section-2.1">RFC 6750 §2.1</a>
 */
public final class BearerTokenWebFilter implements WebFilter, Ordered {

	/** Marks an exchange whose request this filter has put through the firewall. */
	private static final String FIREWALL_PASSED = BearerTokenWebFilter.class.getName() + ".FIREWALL_PASSED";

	/**
	 * The headers whose values the firewall checked on every proxied request: those the resource-server chain and the
	 * gateway read through its wrappers. Others go to the backend as before: checking every value would refuse UTF-8
	 * text whose bytes read as C1 control characters, which passes today.
	 */
	private static final List<String> CHECKED_HEADER_VALUES = List.of(HttpHeaders.AUTHORIZATION,
			HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH, HttpHeaders.UPGRADE);

	private final Predicate<ServerWebExchange> ownEndpoints;

	private final ServerWebExchangeFirewall firewall;

	/** What Spring Security's {@code WebFilterChainProxy} answers a rejected request with by default: 400. */
	private final ServerExchangeRejectedHandler rejectedHandler = new HttpStatusExchangeRejectedHandler();

	private final ServerAuthenticationConverter bearerTokens = new AuthorizationHeaderBearerTokenConverter();

	private final ReactiveAuthenticationManager authenticationManager;

	private final KnownCallers knownCallers;

	private final ServerAuthenticationEntryPoint entryPoint;

	/**
	 * @param ownEndpoints the requests Spring Security's chains answer for (this filter lets them pass)
	 * @param firewall the firewall, as configured for Spring Security
	 * @param authenticationManager turns the bearer token into the caller's authentication
	 * @param knownCallers the caller of a token whose every check this replica can answer at once, as
	 * {@code authenticationManager} would; otherwise null
	 * @param entryPoint answers a request without a usable token
	 */
	public BearerTokenWebFilter(Predicate<ServerWebExchange> ownEndpoints, ServerWebExchangeFirewall firewall,
			ReactiveAuthenticationManager authenticationManager, KnownCallers knownCallers,
			ServerAuthenticationEntryPoint entryPoint) {
		this.ownEndpoints = ownEndpoints;
		this.knownCallers = knownCallers;
		this.firewall = firewall;
		this.authenticationManager = authenticationManager;
		this.entryPoint = entryPoint;
	}

	/**
	 * The firewall for Spring Security's chains: the given one, except for a request this filter has already put
	 * through it (its answer would be the same, and its wrappers would check the headers again on every read).
	 */
	public static ServerWebExchangeFirewall exceptWhereChecked(ServerWebExchangeFirewall firewall) {
		return (exchange) -> exchange.getAttributes().containsKey(FIREWALL_PASSED) ? Mono.just(exchange)
				: firewall.getFirewalledExchange(exchange);
	}

	/**
	 * Spring Security's chains (its {@code WebFilterChainProxy}), asked only for the requests this filter has not
	 * checked: every chain matches only Portcullis's own endpoints, so for a proxied request the proxy only tried each
	 * chain's matcher and passed the request on, through ~5 µs of Reactor operators per request (bench/profile.sh
	 * proxy). Replacing the proxy's bean keeps its place among the WebFilters, which its bean method's
	 * {@code @Order} decides: right after this filter.
	 */
	public static WebFilter exceptWhereChecked(WebFilter securityChains) {
		return (exchange, chain) -> exchange.getAttributes().containsKey(FIREWALL_PASSED) ? chain.filter(exchange)
				: securityChains.filter(exchange, chain);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.ownEndpoints.test(exchange)) {
			return chain.filter(exchange);
		}
		// @formatter:off
		return this.firewall.getFirewalledExchange(exchange)
				.flatMap((firewalled) -> {
					// in the order the chain had them: the firewall, the headers, then each header as it was read
					exchange.getResponse().beforeCommit(() -> {
						SecurityResponseHeaders.write(exchange);
						return Mono.empty();
					});
					HttpHeaders headers = firewalled.getRequest().getHeaders();
					headers.headerNames();
					for (String name : CHECKED_HEADER_VALUES) {
						headers.get(name);
					}
					exchange.getAttributes().put(FIREWALL_PASSED, Boolean.TRUE);
					return authenticated(exchange, chain);
				})
				.onErrorResume(ServerExchangeRejectedException.class,
						(rejected) -> this.rejectedHandler.handle(exchange, rejected));
		// @formatter:on
	}

	/** As Spring Security's {@code AuthenticationWebFilter} and {@code ExceptionTranslationWebFilter} did. */
	private Mono<Void> authenticated(ServerWebExchange exchange, WebFilterChain chain) {
		Authentication known = knownCaller(exchange);
		// @formatter:off
		Mono<Void> checked = (known != null) ? asCaller(known, exchange, chain) : this.bearerTokens.convert(exchange)
				.switchIfEmpty(Mono.error(() -> new AuthenticationCredentialsNotFoundException("Not Authenticated")))
				.flatMap(this.authenticationManager::authenticate)
				.flatMap((caller) -> asCaller(caller, exchange, chain));
		// a revocation store outage too (503): the entry point tells the two apart
		return checked.onErrorResume(AuthenticationException.class, (failure) -> this.entryPoint.commence(exchange, failure));
		// @formatter:on
	}

	/**
	 * The caller when the token's every check can be answered at once (its signature verified before, its key still
	 * accepted, not expired, known not revoked): without the dozen Reactor operators of the reactive check on each
	 * proxied request. Null sends the request the reactive way, which gives every refusal its reason.
	 */
	private @Nullable Authentication knownCaller(ServerWebExchange exchange) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		String token = (authorization != null) ? AuthorizationHeaderBearerTokenConverter.b64token(authorization) : null;
		return (token != null) ? this.knownCallers.callerOf(token) : null;
	}

	private static Mono<Void> asCaller(Authentication caller, ServerWebExchange exchange, WebFilterChain chain) {
		CallerIdentity.remember(exchange, caller);
		return chain.filter(exchange.mutate().principal(Mono.just(caller)).build())
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(caller));
	}

	/** The caller of a token whose checks all pass without waiting for anything, or null. */
	@FunctionalInterface
	public interface KnownCallers {

		@Nullable Authentication callerOf(String token);

	}

	@Override
	public int getOrder() {
		// where Spring Security's WebFilterChainProxy (-100) checked these requests, just before it
		return -101;
	}

}
