package dev.portcullis.proxy.upstream;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.fixtures.TestRegisteredClients;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryBackendTokenStore;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.support.TestPorts;
import dev.portcullis.web.OAuth2ResponseWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link UpstreamClientCredentialsGatewayFilterFactory} on mock exchanges: who may use the credential, what the
 * backend request carries, and what the caller gets when no backend token can be had. The backend itself is in
 * {@link UpstreamClientCredentialsIntegrationTests}.
 */
class UpstreamClientCredentialsGatewayFilterFactoryTests {

	private final Clock clock = Clock.systemUTC();

	private final InMemoryAuthorizationStore authorizations = new InMemoryAuthorizationStore(
			new InMemoryRevocationStore(this.clock), this.clock);

	private final InMemoryBackendTokenStore store = new InMemoryBackendTokenStore(this.clock);

	private final InMemoryClientStore clients = new InMemoryClientStore();

	@Test
	void applyWhenTheNameIsNoConfiguredCredentialThenRefusedNamingTheConfiguredOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> factory(false).apply((config) -> config.setName("crn")))
			.withMessageContaining("crn")
			.withMessageContaining("[crm, down, other-backend, sales]");
	}

	@Test
	void filterWhenTheClientNamesACredentialForTheSameBackendThenTheBackendGetsThatCredentialsToken() {
		keepBackendToken("crm", "crm-token");
		keepBackendToken("sales", "sales-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		call("crm", callerToken(GrantType.CLIENT_CREDENTIALS, "sales"), forwarded, false);

		assertThat(forwarded.get().getRequest().getHeaders().get(HttpHeaders.AUTHORIZATION))
			.containsExactly("Bearer sales-token");
	}

	@Test
	void filterWhenTheClientNamesACredentialForAnotherBackendThenTheRoutesCredentialIsUsed() {
		keepBackendToken("crm", "crm-token");
		keepBackendToken("other-backend", "other-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		call("crm", callerToken(GrantType.CLIENT_CREDENTIALS, "other-backend"), forwarded, false);

		assertThat(forwarded.get().getRequest().getHeaders().get(HttpHeaders.AUTHORIZATION))
			.containsExactly("Bearer crm-token");
	}

	@Test
	void filterWhenTheClientNamesACredentialNoLongerConfiguredThenBadGatewayAndNothingForwarded() {
		keepBackendToken("crm", "crm-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		MockServerWebExchange exchange = call("crm", callerToken(GrantType.CLIENT_CREDENTIALS, "removed"), forwarded,
				false);

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(502);
		assertThat(exchange.getResponse().getBodyAsString().block())
			.contains("\"error\":\"upstream_credentials_unavailable\"")
			.contains("not configured");
	}

	@Test
	void filterWhenUserTokensAllowedThenAPasswordCallersClientCredentialIsUsedToo() {
		keepBackendToken("crm", "crm-token");
		keepBackendToken("sales", "sales-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		call("crm", callerToken(GrantType.PASSWORD, "sales"), forwarded, true);

		assertThat(forwarded.get().getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
			.isEqualTo("Bearer sales-token");
	}

	@Test
	void filterWhenNotAllowedThenAPasswordCallerIsRefusedWhateverItsClientNames() {
		keepBackendToken("sales", "sales-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		MockServerWebExchange exchange = call("crm", callerToken(GrantType.PASSWORD, "sales"), forwarded, false);

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(403);
	}

	@Test
	void filterWhenTheClientChangesItsCredentialThenTheAuthorizationKeepsTheOneOfItsFirstUse() {
		keepBackendToken("crm", "crm-token");
		keepBackendToken("sales", "sales-token");
		UpstreamClientCredentialsGatewayFilterFactory factory = factory(false);
		Jwt caller = callerToken(GrantType.CLIENT_CREDENTIALS, "sales");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		call(factory, "crm", caller, forwarded);

		// the administration ends the client's grants when it does this; the filter asks the store once per grant
		this.clients.save(TestRegisteredClients.registeredClient().id("caller").build()).block(Duration.ofSeconds(10));
		call(factory, "crm", caller, forwarded);

		assertThat(forwarded.get().getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
			.isEqualTo("Bearer sales-token");
	}

	@Test
	void filterWhenClientCredentialsCallerThenTheBackendGetsTheBackendTokenInstead() {
		keepBackendToken("backend-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		MockServerWebExchange exchange = call("crm", callerToken(GrantType.CLIENT_CREDENTIALS), forwarded, false);

		assertThat(forwarded.get()).isNotNull();
		assertThat(forwarded.get().getRequest().getHeaders().get(HttpHeaders.AUTHORIZATION))
			.containsExactly("Bearer backend-token");
		assertThat(exchange.getResponse().getStatusCode()).isNull();
	}

	@Test
	void filterWhenPasswordCallerThenForbiddenAndNothingForwarded() {
		keepBackendToken("backend-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		MockServerWebExchange exchange = call("crm", callerToken(GrantType.PASSWORD), forwarded, false);

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(403);
		assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"error\":\"access_denied\"")
			.contains("client_credentials");
	}

	@Test
	void filterWhenUserTokensAllowedThenPasswordCallerForwardedWithTheBackendToken() {
		keepBackendToken("backend-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		call("crm", callerToken(GrantType.PASSWORD), forwarded, true);

		assertThat(forwarded.get().getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
			.isEqualTo("Bearer backend-token");
	}

	@Test
	void filterWhenTheTokenIsNotOneThisGatewayIssuedThenForbidden() {
		keepBackendToken("backend-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		Jwt foreign = Jwt.withTokenValue("caller-token").header("alg", "RS256").claim("jti", "not-ours").build();

		MockServerWebExchange exchange = call("crm", foreign, forwarded, false);

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(403);
	}

	@Test
	void filterWhenTheTokenEndpointIsDownThenBadGatewayAndNothingForwarded() {
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		MockServerWebExchange exchange = call("down", callerToken(GrantType.CLIENT_CREDENTIALS), forwarded, false);

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(502);
		assertThat(exchange.getResponse().getBodyAsString().block())
			.contains("\"error\":\"upstream_credentials_unavailable\"");
	}

	/**
	 * Review: the caller's client is gone (deleted, its grants not yet or not all revoked) while its token is still
	 * valid: its narrower credential must not turn into the route's.
	 */
	@Test
	void filterWhenTheCallersClientIsGoneThenRefusedRatherThanTheRoutesCredential() {
		keepBackendToken("crm", "crm-token");
		keepBackendToken("sales", "sales-token");
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		Jwt caller = callerToken(GrantType.CLIENT_CREDENTIALS, "sales");
		this.clients.deleteById("caller").block(Duration.ofSeconds(10));

		MockServerWebExchange exchange = call("crm", caller, forwarded, false);

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode().value()).isIn(403, 502);
	}

	private MockServerWebExchange call(String credential, Jwt caller, AtomicReference<ServerWebExchange> forwarded,
			boolean userTokensAllowed) {
		return call(factory(userTokensAllowed), credential, caller, forwarded);
	}

	private MockServerWebExchange call(UpstreamClientCredentialsGatewayFilterFactory factory, String credential,
			Jwt caller, AtomicReference<ServerWebExchange> forwarded) {
		GatewayFilter filter = factory.apply((config) -> config.setName(credential));
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + caller.getTokenValue()));
		ServerWebExchange authenticated = exchange.mutate().principal(Mono.just(new JwtAuthenticationToken(caller))).build();
		GatewayFilterChain chain = (sent) -> {
			forwarded.set(sent);
			return Mono.empty();
		};
		filter.filter(authenticated, chain).block(Duration.ofSeconds(10));
		return exchange;
	}

	private UpstreamClientCredentialsGatewayFilterFactory factory(boolean userTokensAllowed) {
		BackendTokenClient client = new BackendTokenClient(WebClient.builder(), JsonMapper.builder().build(),
				Duration.ofSeconds(5), this.clock);
		Map<String, UpstreamCredential> credentials = new TreeMap<>();
		credentials.put("crm", credential("crm", "http://127.0.0.1:1/Api/access_token"));
		credentials.put("down", credential("down", "http://127.0.0.1:" + TestPorts.free() + "/Api/access_token"));
		credentials.put("sales", credential("sales", "http://127.0.0.1:1/Api/access_token"));
		credentials.put("other-backend", credential("other-backend", "http://127.0.0.2:1/Api/access_token"));
		UpstreamCredentials upstream = new UpstreamCredentials(credentials, this.store, client, this.clock,
				new SimpleMeterRegistry(), Duration.ofSeconds(5));
		return new UpstreamClientCredentialsGatewayFilterFactory(upstream, this.authorizations, this.clients,
				new OAuth2ResponseWriter(JsonMapper.builder().build()), userTokensAllowed);
	}

	private static UpstreamCredential credential(String name, String tokenUri) {
		return new UpstreamCredential(name, URI.create(tokenUri), "gateway", "s3cret", null,
				UpstreamCredential.BodyFormat.SUITECRM);
	}

	private void keepBackendToken(String value) {
		keepBackendToken("crm", value);
	}

	private void keepBackendToken(String credential, String value) {
		Instant now = this.clock.instant();
		this.store.save(credential, new BackendToken(value, now, now.plus(Duration.ofHours(1)))).block(Duration.ofSeconds(10));
	}

	/** A verified caller token whose authorization, of {@code grantType}, is in the store. */
	private Jwt callerToken(GrantType grantType) {
		return callerToken(grantType, null);
	}

	/** A verified caller token of client {@code caller}, which names {@code backendCredential}. */
	private Jwt callerToken(GrantType grantType, @Nullable String backendCredential) {
		this.clients.save(TestRegisteredClients.registeredClient().id("caller").backendCredential(backendCredential).build())
			.block(Duration.ofSeconds(10));
		String authorizationId = TokenIds.newAuthorizationId();
		String jti = TokenIds.newJti(authorizationId);
		Instant now = this.clock.instant();
		this.authorizations.save(new Authorization(authorizationId, "caller", null, "caller", grantType, Set.of(), jti,
				now, now.plus(Duration.ofHours(1)), null, null, now)).block(Duration.ofSeconds(10));
		return Jwt.withTokenValue("caller-token-" + authorizationId)
			.header("alg", "RS256")
			.claim("jti", jti)
			.claim("scopes", List.of())
			.build();
	}

}
