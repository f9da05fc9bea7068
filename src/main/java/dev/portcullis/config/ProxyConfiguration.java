package dev.portcullis.config;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.RevocationStore;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.proxy.BackendRequestHeadersFilter;
import dev.portcullis.proxy.BrokenRequestBodyHandler;
import dev.portcullis.proxy.IdentityHeadersGlobalFilter;
import dev.portcullis.proxy.OAuth2ErrorServerAuthenticationEntryPoint;
import dev.portcullis.proxy.OwnCookiesFilter;
import dev.portcullis.proxy.RequireScopesGatewayFilterFactory;
import dev.portcullis.proxy.ResponseHopByHopHeadersFilter;
import dev.portcullis.proxy.RevocationCheckingJwtDecoder;
import dev.portcullis.proxy.SelectiveRoutePredicateHandlerMapping;
import dev.portcullis.proxy.SingleAuthorizationHeaderWebFilter;
import dev.portcullis.proxy.UpstreamErrorWebExceptionHandler;
import dev.portcullis.proxy.upstream.BackendTokenClient;
import dev.portcullis.proxy.upstream.BackendTokenStore;
import dev.portcullis.proxy.upstream.UpstreamClientCredentialsGatewayFilterFactory;
import dev.portcullis.proxy.upstream.UpstreamCredential;
import dev.portcullis.proxy.upstream.UpstreamCredentials;
import dev.portcullis.web.CookieRequestCache;
import dev.portcullis.web.LogoutHandler;
import dev.portcullis.web.OAuth2ResponseWriter;
import dev.portcullis.web.PageCsrfTokenRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationPredicate;
import reactor.netty.NettyPipeline;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.headers.ForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.XForwardedHeadersFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.accept.ApiVersionStrategy;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;

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
	RevocationCheckingJwtDecoder jwtDecoder(CurrentSigningKeys keys, PortcullisProperties properties, Issuers issuers,
			RevocationStore revocations, Clock clock) {
		return new RevocationCheckingJwtDecoder(keys, issuers.accepted(), properties.getProxy().getClockSkew(),
				revocations, clock);
	}

	@Bean
	OAuth2ErrorServerAuthenticationEntryPoint bearerTokenEntryPoint(OAuth2ResponseWriter writer, MeterRegistry meters) {
		return new OAuth2ErrorServerAuthenticationEntryPoint(writer, meters);
	}

	@Bean
	@ConditionalOnProperty(PortcullisProperties.PREFIX + ".upstream.uri")
	RouteLocator crmApiRoute(RouteLocatorBuilder routes, PortcullisProperties properties,
			UpstreamClientCredentialsGatewayFilterFactory upstreamClientCredentials) {
		String credential = properties.getProxy().getUpstreamCredentials();
		// @formatter:off
		return routes.routes()
				.route("crm-api-v8", (route) -> route.path(CRM_API_PATHS)
						.filters((filters) -> (credential == null) ? filters
								: filters.filter(upstreamClientCredentials.apply((config) -> config.setName(credential))))
						.uri(properties.getUpstream().getUri()))
				.build();
		// @formatter:on
	}

	/**
	 * The routes, asked first for proxied requests: before WebFlux's router functions (-1) and controllers (0), which
	 * serve only Portcullis's own endpoints and were asked in vain on every proxied request. Spring Cloud Gateway's own
	 * mapping steps back for these two ({@code @ConditionalOnMissingBean}); the routes' CORS settings go to this one.
	 */
	@Bean
	@Primary
	RoutePredicateHandlerMapping proxiedRequestsRoutePredicateHandlerMapping(FilteringWebHandler webHandler,
			RouteLocator routes, GlobalCorsProperties cors, Environment environment,
			ObjectProvider<ApiVersionStrategy> apiVersions, OwnEndpoints ownEndpoints) {
		SelectiveRoutePredicateHandlerMapping mapping = new SelectiveRoutePredicateHandlerMapping(webHandler, routes,
				cors, environment, ownEndpoints.negate());
		apiVersions.ifAvailable(mapping::setApiVersionStrategy);
		mapping.setOrder(-2);
		return mapping;
	}

	/**
	 * The routes, asked for Portcullis's own endpoints after its handlers, where Spring Cloud Gateway puts them (its
	 * {@code handler-mapping.order}, 1): a catch-all route never shadows the token endpoint, a page or logout, and a
	 * method an own endpoint does not answer ({@code GET /Api/V8/logout}) still reaches a route, as before. Never for
	 * the style sheet and script, which a catch-all route took from the static resources, asked after the routes.
	 */
	@Bean
	RoutePredicateHandlerMapping ownEndpointsRoutePredicateHandlerMapping(FilteringWebHandler webHandler,
			RouteLocator routes, GlobalCorsProperties cors, Environment environment,
			ObjectProvider<ApiVersionStrategy> apiVersions, OwnEndpoints ownEndpoints) {
		SelectiveRoutePredicateHandlerMapping mapping = new SelectiveRoutePredicateHandlerMapping(webHandler, routes,
				cors, environment, ownEndpoints::leftToRoutes);
		apiVersions.ifAvailable(mapping::setApiVersionStrategy);
		return mapping;
	}

	@Bean
	UpstreamCredentials upstreamCredentials(PortcullisProperties properties, BackendTokenStore store,
			ObjectProvider<WebClient.Builder> web, Clock clock, ObjectProvider<MeterRegistry> meters) {
		PortcullisProperties.Upstream upstream = properties.getUpstream();
		Map<String, UpstreamCredential> credentials = new LinkedHashMap<>();
		upstream.getCredentials().forEach((name, settings) -> credentials.put(name,
				new UpstreamCredential(name, Objects.requireNonNull(settings.getTokenUri()),
						Objects.requireNonNull(settings.getClientId()), Objects.requireNonNull(settings.getClientSecret()),
						settings.getScope(), settings.getBodyFormat())));
		BackendTokenClient client = new BackendTokenClient(web.getIfAvailable(WebClient::builder),
				JsonMapper.builder().build(), upstream.getTokenRequestTimeout(), clock);
		return new UpstreamCredentials(credentials, store, client, clock,
				meters.getIfAvailable(() -> Metrics.globalRegistry), upstream.getTokenRequestTimeout());
	}

	@Bean
	UpstreamClientCredentialsGatewayFilterFactory upstreamClientCredentialsGatewayFilterFactory(
			UpstreamCredentials credentials, AuthorizationStore authorizations, ClientStore clients,
			OAuth2ResponseWriter writer, PortcullisProperties properties) {
		return new UpstreamClientCredentialsGatewayFilterFactory(credentials, authorizations, clients, writer,
				properties.getUpstream().isCredentialsForUserTokens());
	}

	/**
	 * Times the backend from the moment the request has been sent, not from its start: the gateway's own response
	 * timeout ({@code spring.cloud.gateway.server.webflux.httpclient.response-timeout}) runs from the first byte of
	 * the request, so an upload that takes longer than it (100 MB from a slow client) was cut off with 504 while the
	 * backend was still reading it. The configured value moves to Reactor Netty's response timeout, which starts
	 * once the request body is sent and then limits each wait for the backend's next bytes; 504 as before. Routes
	 * with their own {@code response-timeout} metadata keep the gateway's behaviour, and so would every route after
	 * a rebinding of the properties (Spring Cloud's refresh), which sets the value again.
	 */
	@Bean
	HttpClientCustomizer responseTimeoutAfterRequestSent(HttpClientProperties httpClient) {
		Duration responseTimeout = httpClient.getResponseTimeout();
		if (responseTimeout == null) {
			return (client) -> client;
		}
		// read by the routing filter on every request: without it, that filter sets no timeout of its own
		httpClient.setResponseTimeout(null);
		return (client) -> client.responseTimeout(responseTimeout);
	}

	/**
	 * No {@code http.server.requests} observation of a proxied request while tracing is off: Spring Cloud Gateway's
	 * {@code spring_cloud_gateway_requests} (the README's metric of proxied requests) times each of them already, and
	 * the second timer and its active-requests gauge cost every proxied request a few percent of its CPU
	 * (bench/profile.sh proxy). Portcullis's own endpoints and the actuator keep theirs; with tracing on, every
	 * request keeps it, as its span is the parent of the backend call's.
	 */
	@Bean
	@Conditional(TracingConfiguration.TracingOff.class)
	ObservationPredicate proxiedRequestsTimedByTheGatewayOnly(OwnEndpoints ownEndpoints) {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request)
				|| ownEndpoints.isOwnPath(request.getCarrier());
	}

	@Bean
	IdentityHeadersGlobalFilter identityHeadersGlobalFilter() {
		return new IdentityHeadersGlobalFilter();
	}

	/** What the backend is told, in one copy of the request's headers: see {@link BackendRequestHeadersFilter}. */
	@Bean
	BackendRequestHeadersFilter backendRequestHeadersFilter(PortcullisProperties properties,
			ResponseHopByHopHeadersFilter hopByHop, ObjectProvider<ForwardedHeadersFilter> forwarded,
			ObjectProvider<XForwardedHeadersFilter> xForwarded) {
		return new BackendRequestHeadersFilter(properties.getProxy().getIdentityHeaders(), hopByHop,
				forwarded.getIfAvailable() != null, xForwarded.getIfAvailable() != null);
	}

	@Bean
	ResponseHopByHopHeadersFilter responseHopByHopHeadersFilter() {
		return new ResponseHopByHopHeadersFilter();
	}

	/**
	 * Spring Cloud Gateway's hop-by-hop and forwarded-header removers out of the gateway's header filters: each
	 * copied the whole header map of every proxied request, and {@link BackendRequestHeadersFilter} does their work
	 * in its one copy ({@link ResponseHopByHopHeadersFilter} the hop-by-hop one's for responses). Only these exact
	 * classes go; the gateway's {@code Forwarded} and {@code X-Forwarded-*} writers, when configured, stay.
	 */
	@Bean
	static BeanFactoryPostProcessor gatewayHeaderRemoversReplaced() {
		Set<Class<?>> replaced = Set.of(RemoveHopByHopHeadersFilter.class, RemoveForwardedHeadersFilter.class,
				RemoveXForwardedHeadersFilter.class);
		return (beanFactory) -> {
			for (String name : beanFactory.getBeanNamesForType(HttpHeadersFilter.class, true, false)) {
				if (replaced.contains(beanFactory.getType(name, false))) {
					((BeanDefinitionRegistry) beanFactory).removeBeanDefinition(name);
				}
			}
		};
	}

	/** The browser's session, CSRF and login-return cookies stay at the gateway: see {@link OwnCookiesFilter}. */
	@Bean
	OwnCookiesFilter ownCookiesFilter(ObjectProvider<WebSessionIdResolver> sessionIds) {
		String sessionCookie = (sessionIds.getIfAvailable() instanceof CookieWebSessionIdResolver cookies)
				? cookies.getCookieName() : "SESSION";
		return new OwnCookiesFilter(Set.of(sessionCookie, PageCsrfTokenRepository.COOKIE_NAME, CookieRequestCache.COOKIE));
	}

	@Bean
	SingleAuthorizationHeaderWebFilter singleAuthorizationHeaderWebFilter(OAuth2ResponseWriter writer) {
		return new SingleAuthorizationHeaderWebFilter(writer);
	}

	/** See {@link BrokenRequestBodyHandler}: a body that fails to decode aborts the request at the backend. */
	@Bean
	NettyServerCustomizer brokenRequestBodyAbortsTheBackendRequest() {
		BrokenRequestBodyHandler handler = new BrokenRequestBodyHandler();
		return (server) -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, BrokenRequestBodyHandler.NAME, handler);
			}
		});
	}

	@Bean
	RequireScopesGatewayFilterFactory requireScopesGatewayFilterFactory(OAuth2ResponseWriter writer) {
		return new RequireScopesGatewayFilterFactory(writer);
	}

	@Bean
	UpstreamErrorWebExceptionHandler upstreamErrorWebExceptionHandler(OAuth2ResponseWriter writer) {
		return new UpstreamErrorWebExceptionHandler(writer);
	}

	@Bean
	RouterFunction<ServerResponse> logoutRoute(AuthorizationStore authorizations, RevocationStore revocations) {
		LogoutHandler logout = new LogoutHandler(authorizations, revocations);
		return RouterFunctions.route(POST(LOGOUT_PATH), logout::logout);
	}

}
