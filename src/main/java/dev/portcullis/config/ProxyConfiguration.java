package dev.portcullis.config;

import java.time.Clock;

import dev.portcullis.oauth2.token.SigningKeys;
import dev.portcullis.proxy.IdentityHeadersGlobalFilter;
import dev.portcullis.proxy.JsonErrorWriter;
import dev.portcullis.proxy.OAuth2ErrorServerAuthenticationEntryPoint;
import dev.portcullis.proxy.RequireScopesGatewayFilterFactory;
import dev.portcullis.proxy.RevocationCheckingJwtDecoder;
import dev.portcullis.proxy.UpstreamErrorWebExceptionHandler;
import dev.portcullis.store.AuthorizationStore;
import dev.portcullis.store.RevocationStore;
import dev.portcullis.web.LogoutHandler;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

/**
 * The gateway side: the bearer-token check, the default route to the CRM backend, what the backend is told, and
 * the answers the gateway gives itself (logout, backend down).
 */
@Configuration(proxyBeanMethods = false)
public class ProxyConfiguration {

	/** The paths SuiteCRM's API answers under, sent to {@code portcullis.upstream.uri} by the default route. */
	static final String CRM_API_PATHS = "/Api/V8/**";

	static final String LOGOUT_PATH = "/Api/V8/logout";

	@Bean
	RevocationCheckingJwtDecoder jwtDecoder(SigningKeys keys, PortcullisProperties properties,
			RevocationStore revocations, Clock clock) {
		return new RevocationCheckingJwtDecoder(keys, properties.getIssuer(), properties.getProxy().getClockSkew(),
				revocations, clock);
	}

	@Bean
	JsonErrorWriter jsonErrorWriter(JsonMapper jsonMapper) {
		return new JsonErrorWriter(jsonMapper);
	}

	@Bean
	OAuth2ErrorServerAuthenticationEntryPoint bearerTokenEntryPoint(JsonErrorWriter writer) {
		return new OAuth2ErrorServerAuthenticationEntryPoint(writer);
	}

	@Bean
	@ConditionalOnProperty(PortcullisProperties.PREFIX + ".upstream.uri")
	RouteLocator crmApiRoute(RouteLocatorBuilder routes, PortcullisProperties properties) {
		// @formatter:off
		return routes.routes()
				.route("crm-api-v8", (route) -> route.path(CRM_API_PATHS).uri(properties.getUpstream().getUri()))
				.build();
		// @formatter:on
	}

	@Bean
	IdentityHeadersGlobalFilter identityHeadersGlobalFilter(PortcullisProperties properties) {
		return new IdentityHeadersGlobalFilter(properties.getProxy().getIdentityHeaders());
	}

	@Bean
	RequireScopesGatewayFilterFactory requireScopesGatewayFilterFactory(JsonErrorWriter writer) {
		return new RequireScopesGatewayFilterFactory(writer);
	}

	@Bean
	UpstreamErrorWebExceptionHandler upstreamErrorWebExceptionHandler(JsonErrorWriter writer) {
		return new UpstreamErrorWebExceptionHandler(writer);
	}

	@Bean
	RouterFunction<ServerResponse> logoutRoute(AuthorizationStore authorizations, RevocationStore revocations) {
		LogoutHandler logout = new LogoutHandler(authorizations, revocations);
		return RouterFunctions.route(POST(LOGOUT_PATH), logout::logout);
	}

}
