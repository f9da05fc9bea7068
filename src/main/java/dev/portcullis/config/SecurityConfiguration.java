package dev.portcullis.config;

import dev.portcullis.proxy.AuthorizationHeaderBearerTokenConverter;
import dev.portcullis.proxy.BearerTokenWebFilter;
import dev.portcullis.proxy.HeaderCharacters;
import dev.portcullis.proxy.OAuth2ErrorServerAuthenticationEntryPoint;
import dev.portcullis.proxy.RevocationCheckingJwtDecoder;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.WebFilter;

/**
 * HTTP security: every request needs a valid, unrevoked bearer token, except the endpoints that hand tokens out
 * or describe the gateway. The token endpoint authenticates clients itself (RFC 6749 §3.2.1) and reads no cookie,
 * so it needs no CSRF token; no session is kept. This chain secures Portcullis's own endpoints that the pages' and
 * the admin API's chains leave ({@link OwnEndpoints}); proxied requests get the same check from
 * {@link BearerTokenWebFilter}, without the chain.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, RevocationCheckingJwtDecoder jwtDecoder,
			OAuth2ErrorServerAuthenticationEntryPoint entryPoint, OwnEndpoints ownEndpoints) {
		ServerAuthenticationEntryPointFailureHandler failureHandler = new ServerAuthenticationEntryPointFailureHandler(
				entryPoint);
		// a revocation store outage reaches the entry point (503) instead of becoming a 500
		failureHandler.setRethrowAuthenticationServiceException(false);
		// @formatter:off
		return http
				.securityMatcher(ownEndpoints)
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
				.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
				.logout(ServerHttpSecurity.LogoutSpec::disable)
				.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.authorizeExchange((exchange) -> exchange
						.matchers(PathPatterns.anyOf(OAuth2EndpointConfiguration.TOKEN_PATHS)).permitAll()
						// the client authenticates itself there, as at the token endpoint
						.matchers(PathPatterns.anyOf(OAuth2EndpointConfiguration.REVOCATION_PATH,
								OAuth2EndpointConfiguration.INTROSPECTION_PATH)).permitAll()
						.matchers(PathPatterns.anyOf(HttpMethod.GET, OAuth2EndpointConfiguration.JWKS_PATH,
								OAuth2EndpointConfiguration.METADATA_PATH)).permitAll()
						// health, info and metrics on the management port only: Boot's matcher knows which server a request
						// came to, so on the gateway's port /actuator/... stays an ordinary path that needs a token (a
						// catch-all route would forward it to a backend)
						.matchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
						// logout, and the endpoints above with other methods
						.anyExchange().authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer
						.bearerTokenConverter(new AuthorizationHeaderBearerTokenConverter())
						.jwt((jwt) -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(authenticationConverter()))
						.authenticationEntryPoint(entryPoint)
						.authenticationFailureHandler(failureHandler))
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint))
				.build();
		// @formatter:on
	}

	@Bean
	OwnEndpoints ownEndpoints(Environment environment, WebEndpointProperties endpoints) {
		return new OwnEndpoints(ManagementPortType.get(environment) == ManagementPortType.SAME, endpoints.getBasePath());
	}

	/** Every request that is not for {@link OwnEndpoints}: the bearer token's check, before the gateway routes it. */
	@Bean
	BearerTokenWebFilter bearerTokenWebFilter(OwnEndpoints ownEndpoints, RevocationCheckingJwtDecoder jwtDecoder,
			OAuth2ErrorServerAuthenticationEntryPoint entryPoint) {
		// one converter for both ways through the filter: the caller of a known-good token is built as the manager builds it
		JwtAuthenticationConverter callers = scopesAuthenticationConverter();
		JwtReactiveAuthenticationManager authentication = new JwtReactiveAuthenticationManager(jwtDecoder);
		authentication.setJwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(callers));
		return new BearerTokenWebFilter(ownEndpoints, firewall(), authentication, (token) -> {
			Jwt jwt = jwtDecoder.decodeIfKnownGood(token);
			return (jwt != null) ? callers.convert(jwt) : null;
		}, entryPoint);
	}

	/**
	 * Spring Security's chains for their own requests only: see
	 * {@link BearerTokenWebFilter#exceptWhereChecked(WebFilter)}.
	 */
	@Bean
	static BeanPostProcessor securityChainsExceptWhereChecked() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof WebFilterChainProxy chains) ? BearerTokenWebFilter.exceptWhereChecked(chains) : bean;
			}
		};
	}

	/**
	 * The firewall of Spring Security's chains: requests that {@link BearerTokenWebFilter} has put through it pass.
	 */
	@Bean
	ServerWebExchangeFirewall serverWebExchangeFirewall() {
		return BearerTokenWebFilter.exceptWhereChecked(firewall());
	}

	/** Spring Security's default firewall, its header checks done without regular expressions. */
	private static StrictServerWebExchangeFirewall firewall() {
		StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
		firewall.setAllowedHeaderNames(HeaderCharacters::isAllowedName);
		firewall.setAllowedHeaderValues(HeaderCharacters::isAllowedValue);
		return firewall;
	}

	/**
	 * No observation around each security filter: they timed every filter of every proxied request, a tenth of its
	 * CPU, for metrics nobody scrapes; {@code spring_cloud_gateway_requests} and {@code http_server_requests} time
	 * the requests, and {@code portcullis_proxy_refusals_total} counts the refusals.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/** Authorities {@code SCOPE_x} from the league {@code scopes} claim. */
	static ReactiveJwtAuthenticationConverterAdapter authenticationConverter() {
		return new ReactiveJwtAuthenticationConverterAdapter(scopesAuthenticationConverter());
	}

	private static JwtAuthenticationConverter scopesAuthenticationConverter() {
		JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
		scopes.setAuthoritiesClaimName("scopes");
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(scopes);
		return converter;
	}

}
