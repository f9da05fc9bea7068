package dev.portcullis.config;

import java.nio.charset.StandardCharsets;

import dev.portcullis.admin.AdministrationAccess;
import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.proxy.AuthorizationHeaderBearerTokenConverter;
import dev.portcullis.proxy.OAuth2ErrorServerAuthenticationEntryPoint;
import dev.portcullis.proxy.RevocationCheckingJwtDecoder;
import dev.portcullis.web.ClientAddressResolver;
import dev.portcullis.web.CredentialCheckRefusedException;
import dev.portcullis.web.PasswordAuthenticationManager;
import dev.portcullis.web.admin.AdministratorAuthorizationManager;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * The admin API, {@code /admin/api/**}: administrators only, by HTTP Basic with an active administrator's
 * credentials or by a bearer token issued by Portcullis that may use the admin API, both checked against the stores
 * on every request ({@link AdministratorAuthorizationManager}). Stateless, so no CSRF token. Anything that is not an
 * active administrator's credentials gets 401 with one body; a valid bearer token that may not administer 403.
 */
@Configuration(proxyBeanMethods = false)
public class AdminSecurityConfiguration {

	static final String ADMIN_API = "/admin/api/**";

	static final PathPatterns ADMIN_API_PATHS = PathPatterns.anyOf(ADMIN_API);

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	SecurityWebFilterChain adminApiSecurityWebFilterChain(ServerHttpSecurity http, UserAuthenticator users,
			ClientAddressResolver addresses, RevocationCheckingJwtDecoder jwtDecoder,
			OAuth2ErrorServerAuthenticationEntryPoint bearerEntryPoint, AdministratorAuthorizationManager administrators) {
		// @formatter:off
		return http
				.securityMatcher(ADMIN_API_PATHS)
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
				.logout(ServerHttpSecurity.LogoutSpec::disable)
				.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.addFilterBefore(AdminSecurityConfiguration::requireJsonBodies, SecurityWebFiltersOrder.HTTP_BASIC)
				.httpBasic((basic) -> basic
						// an active administrator's credentials only: anything else, a non-administrator's right password
						// included, fails the same way (401)
						.authenticationManager(new PasswordAuthenticationManager(users::authenticateAdministrator,
								"ROLE_ADMIN", addresses))
						.authenticationEntryPoint(unauthorized()))
				.oauth2ResourceServer((resourceServer) -> resourceServer
						.bearerTokenConverter(new AuthorizationHeaderBearerTokenConverter())
						.jwt((jwt) -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(SecurityConfiguration.authenticationConverter()))
						.authenticationEntryPoint(bearerEntryPoint))
				.authorizeExchange((exchange) -> exchange.anyExchange().access(administrators))
				.exceptionHandling((exceptions) -> exceptions
						.authenticationEntryPoint(unauthorized())
						.accessDeniedHandler(forbidden()))
				.build();
		// @formatter:on
	}

	@Bean
	AdministratorAuthorizationManager administratorAuthorizationManager(AdministrationAccess access) {
		return new AdministratorAuthorizationManager(access);
	}

	/**
	 * 415 for a POST, PUT or PATCH that is not JSON, before anyone is authenticated: a browser that has cached an
	 * administrator's Basic credentials can be made to send a cross-site form or bodiless POST (no CORS preflight),
	 * but never one with {@code Content-Type: application/json}.
	 */
	private static Mono<Void> requireJsonBodies(ServerWebExchange exchange, WebFilterChain chain) {
		HttpMethod method = exchange.getRequest().getMethod();
		if (!HttpMethod.POST.equals(method) && !HttpMethod.PUT.equals(method) && !HttpMethod.PATCH.equals(method)) {
			return chain.filter(exchange);
		}
		if (isJson(exchange.getRequest().getHeaders().getFirst(HttpHeaders.CONTENT_TYPE))) {
			return chain.filter(exchange);
		}
		return write(exchange.getResponse(), HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
				"Send the request body as Content-Type: application/json");
	}

	/** {@code application/json} with any parameters; a value that does not parse is no JSON (never a 500). */
	private static boolean isJson(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static ServerAuthenticationEntryPoint unauthorized() {
		return (exchange, ex) -> {
			if (ex instanceof CredentialCheckRefusedException refused) {
				// the guessing limits (429) or the hashing pool (503) refused to check: not a wrong password
				exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(refused.retryAfter().toSeconds()));
				boolean guessing = refused.status() == HttpStatus.TOO_MANY_REQUESTS.value();
				return write(exchange.getResponse(), HttpStatus.valueOf(refused.status()),
						guessing ? "too_many_attempts" : "temporarily_unavailable", refused.getMessage());
			}
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
