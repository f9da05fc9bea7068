package dev.portcullis.proxy.upstream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.support.SingleFlight;
import dev.portcullis.support.StoreFailures;
import dev.portcullis.web.OAuth2ResponseWriter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * A route filter that sends the request to the backend with a token the backend issued to the gateway, e.g.
 * {@code UpstreamClientCredentials=crm}: after the caller's token was checked, {@code Authorization} is replaced by
 * {@code Bearer <backend token>} of that credential ({@code portcullis.upstream.credentials.crm.*}), so the
 * caller's own token never reaches the backend.
 * <ul>
 * <li>Only tokens of the client_credentials grant may use it, unless
 * {@code portcullis.upstream.credentials-for-user-tokens} is set: every user would reach the backend as the
 * credential's one client. Others get 403 {@code access_denied}.</li>
 * <li>A client may name the credential its tokens act with ({@code backendCredential}, a client setting): used when
 * it is for the route credential's backend, see {@link BackendCredentialChoice}; a client that names one no longer
 * configured gets 502 {@code upstream_credentials_unavailable}.</li>
 * <li>No backend token to be had: 502 {@code upstream_credentials_unavailable}, and the request is not sent.</li>
 * <li>The backend answers 401: the token is dropped, so that the next request obtains a new one; a request without a
 * body is sent once more with it, one with a body is not replayed and gets the 401.</li>
 * </ul>
 */
public class UpstreamClientCredentialsGatewayFilterFactory
		extends AbstractGatewayFilterFactory<UpstreamClientCredentialsGatewayFilterFactory.Config> {

	/** Bounds the memory of {@link #callers}: about 150 bytes each. */
	private static final int MAX_KNOWN_CALLERS = 100_000;

	private final UpstreamCredentials credentials;

	private final BackendCredentialChoice choice;

	private final AuthorizationStore authorizations;

	private final ClientStore clients;

	private final OAuth2ResponseWriter writer;

	private final boolean userTokensAllowed;

	/** Each authorization whose tokens came by, as {@link Caller}, so that its next requests ask the stores nothing. */
	private final Map<String, Caller> callers = new ConcurrentHashMap<>();

	private final SingleFlight<Caller> callerLookups = new SingleFlight<>();

	public UpstreamClientCredentialsGatewayFilterFactory(UpstreamCredentials credentials,
			AuthorizationStore authorizations, ClientStore clients, OAuth2ResponseWriter writer,
			boolean userTokensAllowed) {
		super(Config.class);
		this.credentials = credentials;
		this.choice = new BackendCredentialChoice(credentials);
		this.authorizations = authorizations;
		this.clients = clients;
		this.writer = writer;
		this.userTokensAllowed = userTokensAllowed;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("name");
	}

	@Override
	public GatewayFilter apply(Config config) {
		String name = config.getName();
		if (name == null || !this.credentials.names().contains(name)) {
			throw new IllegalArgumentException("UpstreamClientCredentials names " + name + ", which is not one of the "
					+ "backend credentials under portcullis.upstream.credentials: " + this.credentials.names());
		}
		return new GatewayFilter() {

			@Override
			public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
				boolean bodiless = isBodiless(exchange.getRequest());
				// @formatter:off
				return backendToken(exchange, name)
						// refusals are answered here; what the backend answers is not caught
						.onErrorResume(OAuth2Exception.class, (ex) -> refuse(exchange, ex).then(Mono.empty()))
						.flatMap((chosen) -> send(exchange, chain, chosen.credential(), chosen.token(), bodiless));
				// @formatter:on
			}

			@Override
			public String toString() {
				return "UpstreamClientCredentials[" + name + "]";
			}

		};
	}

	/**
	 * The caller's grant and its client's backend credential, from the token's authorization. The token does not say
	 * which grant issued it (league's claims); its authorization does, and that never changes. The client's credential
	 * is read at the authorization's first use: changing it ends the client's grants, so no token acts with the old one.
	 */
	private Mono<Caller> caller(Jwt token) {
		String jti = token.getId();
		if (jti == null || !TokenIds.isIssuedJti(jti)) {
			return Mono.just(Caller.UNKNOWN);
		}
		String authorizationId = TokenIds.authorizationIdOf(jti);
		Caller known = this.callers.get(authorizationId);
		if (known != null) {
			return Mono.just(known);
		}
		// @formatter:off
		return this.callerLookups.run(authorizationId, () -> this.authorizations.findById(authorizationId)
						.flatMap((authorization) -> this.clients.findById(authorization.clientId())
								.map((client) -> new Caller(authorization.grantType(), client.tokenSettings().backendCredential()))
								// a deleted client (its grants being revoked) acts with nothing, least of all the route's credential
								.switchIfEmpty(Mono.error(OAuth2Exception::upstreamCredentialsRefused)))
						.doOnNext((caller) -> remember(authorizationId, caller)))
				.defaultIfEmpty(Caller.UNKNOWN);
		// @formatter:on
	}

	private void remember(String authorizationId, Caller caller) {
		if (this.callers.size() >= MAX_KNOWN_CALLERS) {
			// rarely reached: forgetting costs one lookup per authorization in use
			this.callers.clear();
		}
		this.callers.put(authorizationId, caller);
	}

	/** The credential and backend token the request is sent with, or an {@link OAuth2Exception} saying why it is not sent. */
	private Mono<Chosen> backendToken(ServerWebExchange exchange, String routeCredential) {
		// @formatter:off
		return exchange.getPrincipal()
				.filter(JwtAuthenticationToken.class::isInstance)
				.flatMap((principal) -> caller(((JwtAuthenticationToken) principal).getToken()))
				.switchIfEmpty(Mono.error(OAuth2Exception::upstreamCredentialsRefused))
				.flatMap((caller) -> {
					// every user would reach the backend as the credential's one client
					if (!this.userTokensAllowed && caller.grantType() != GrantType.CLIENT_CREDENTIALS) {
						return Mono.error(OAuth2Exception.upstreamCredentialsRefused());
					}
					String credential = this.choice.choose(routeCredential, caller.backendCredential());
					return this.credentials.token(credential).map((token) -> new Chosen(credential, token));
				})
				.onErrorMap(UpstreamCredentialsUnavailableException.class,
						(ex) -> OAuth2Exception.upstreamCredentialsUnavailable())
				// a routed request's store failure is not answered by the gateway's store handler: answered here
				.onErrorMap(StoreFailures::isUnavailable, (ex) -> OAuth2Exception.temporarilyUnavailable());
		// @formatter:on
	}

	private Mono<Void> refuse(ServerWebExchange exchange, OAuth2Exception refusal) {
		if (refusal.getRetryAfter() != null) {
			exchange.getResponse()
				.getHeaders()
				.set(HttpHeaders.RETRY_AFTER, String.valueOf(refusal.getRetryAfter().toSeconds()));
		}
		return this.writer.error(exchange.getResponse(), refusal.getError());
	}

	private Mono<Void> send(ServerWebExchange exchange, GatewayFilterChain chain, String name, BackendToken token,
			boolean mayRetry) {
		ServerWebExchange withToken = exchange.mutate()
			.request((request) -> request.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION,
					"Bearer " + token.value())))
			.build();
		// the routing filter has set the backend's status and headers when the chain completes; the body is written
		// afterwards by the gateway's response writer (an earlier filter), so a 401 can still be answered anew
		return chain.filter(withToken).then(Mono.defer(() -> {
			if (!HttpStatus.UNAUTHORIZED.equals(withToken.getResponse().getStatusCode())
					|| exchange.getResponse().isCommitted()) {
				return Mono.empty();
			}
			Mono<Void> dropped = this.credentials.drop(name, token);
			if (!mayRetry) {
				return dropped;
			}
			return dropped.then(Mono.defer(() -> {
				discardBackendResponse(exchange);
				// @formatter:off
				return this.credentials.token(name)
						.onErrorMap(UpstreamCredentialsUnavailableException.class,
								(ex) -> OAuth2Exception.upstreamCredentialsUnavailable())
						.onErrorMap(StoreFailures::isUnavailable, (ex) -> OAuth2Exception.temporarilyUnavailable())
						.onErrorResume(OAuth2Exception.class, (ex) -> refuse(exchange, ex).then(Mono.empty()))
						.flatMap((renewed) -> send(exchange, chain, name, renewed, false));
				// @formatter:on
			}));
		}));
	}

	/** Forgets the backend's first answer, as the gateway's Retry filter does, so that the request can be routed again. */
	private static void discardBackendResponse(ServerWebExchange exchange) {
		Connection connection = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
		if (connection != null) {
			connection.dispose();
			exchange.getAttributes().remove(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
		}
		ServerWebExchangeUtils.reset(exchange);
	}

	/** A request that can be sent again: one that has no body (RFC 9110 §8.6: neither length nor chunked body). */
	private static boolean isBodiless(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		boolean safeMethod = HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod())
				|| HttpMethod.OPTIONS.equals(request.getMethod()) || HttpMethod.DELETE.equals(request.getMethod());
		return safeMethod && headers.getContentLength() <= 0 && headers.getFirst(HttpHeaders.TRANSFER_ENCODING) == null;
	}

	/**
	 * What the filter keeps of an authorization: its grant and, as it was at the authorization's first use, the
	 * backend credential its client names ({@code null}: the route's).
	 */
	private record Caller(@Nullable GrantType grantType, @Nullable String backendCredential) {

		/** A token this gateway did not issue, or whose authorization is gone. */
		static final Caller UNKNOWN = new Caller(null, null);

	}

	/** The credential a request is sent with, and its backend token. */
	private record Chosen(String credential, BackendToken token) {
	}

	/** Which backend credential the route's requests are sent with. */
	public static class Config {

		private @Nullable String name;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		@Override
		public String toString() {
			return "Config[name=" + this.name + "]";
		}

	}

}
