package dev.portcullis.config;

import java.nio.charset.StandardCharsets;

import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.proxy.AuthorizationHeaderBearerTokenConverter;
import dev.portcullis.proxy.OAuth2ErrorServerAuthenticationEntryPoint;
import dev.portcullis.proxy.RevocationCheckingJwtDecoder;
import dev.portcullis.web.admin.AdminAuthenticationManager;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * The admin API, {@code /admin/api/**}: administrators only, by HTTP Basic with an administrator's credentials or
 * by a bearer token issued by Portcullis that carries the {@code admin} scope. Stateless, so no CSRF token.
 * Anyone else gets 401; an authenticated non-administrator 403.
 */
@Configuration(proxyBeanMethods = false)
public class AdminSecurityConfiguration {

	static final String ADMIN_API = "/admin/api/**";

	static final PathPatterns ADMIN_API_PATHS = PathPatterns.anyOf(ADMIN_API);

	static final String ADMIN_SCOPE = "SCOPE_admin";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	SecurityWebFilterChain adminApiSecurityWebFilterChain(ServerHttpSecurity http, UserAuthenticator users,
			RevocationCheckingJwtDecoder jwtDecoder, OAuth2ErrorServerAuthenticationEntryPoint bearerEntryPoint) {
		// @formatter:off
		return http
				.securityMatcher(ADMIN_API_PATHS)
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
				.logout(ServerHttpSecurity.LogoutSpec::disable)
				.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.httpBasic((basic) -> basic
						.authenticationManager(new AdminAuthenticationManager(users))
						.authenticationEntryPoint(unauthorized()))
				.oauth2ResourceServer((resourceServer) -> resourceServer
						.bearerTokenConverter(new AuthorizationHeaderBearerTokenConverter())
						.jwt((jwt) -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(SecurityConfiguration.authenticationConverter()))
						.authenticationEntryPoint(bearerEntryPoint))
				.authorizeExchange((exchange) -> exchange.anyExchange().hasAnyAuthority(AdminAuthenticationManager.ADMIN, ADMIN_SCOPE))
				.exceptionHandling((exceptions) -> exceptions
						.authenticationEntryPoint(unauthorized())
						.accessDeniedHandler(forbidden()))
				.build();
		// @formatter:on
	}

	private static ServerAuthenticationEntryPoint unauthorized() {
		return (exchange, ex) -> {
			exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Portcullis admin\"");
			return write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "unauthorized",
					"Authenticate as an administrator (HTTP Basic) or with a token carrying the admin scope");
		};
	}

	private static ServerAccessDeniedHandler forbidden() {
		return (exchange, denied) -> write(exchange.getResponse(), HttpStatus.FORBIDDEN, "forbidden",
				"Only administrators may use the admin API");
	}

	private static Mono<Void> write(org.springframework.http.server.reactive.ServerHttpResponse response,
			HttpStatus status, String error, String description) {
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = ("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}
