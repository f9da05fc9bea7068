package dev.portcullis.proxy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.portcullis.web.OAuth2ResponseWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BearerTokenWebFilter} on mock exchanges: what the gateway's filters find, and that nothing passes it
 * unchecked. Over real HTTP, against the chain's recorded answers: {@code BearerTokenWebFilterIntegrationTests}.
 */
class BearerTokenWebFilterTests {

	private static final String VALID = "valid.token.value";

	/** A token whose checks all pass at once; the authentication manager would refuse it (503). */
	private static final String KNOWN = "known.token.value";

	private final Authentication caller = new TestingAuthenticationToken("caller", null, "SCOPE_accounts.read");

	private final Authentication knownCaller = new JwtAuthenticationToken(Jwt.withTokenValue(KNOWN)
		.header("alg", "RS256")
		.subject("user-1")
		.claim("client_id", "client-1")
		.claim("scopes", List.of("accounts.read"))
		.build());

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();

	private final BearerTokenWebFilter filter = new BearerTokenWebFilter(
			(exchange) -> exchange.getRequest().getPath().value().equals("/Api/access_token"), this.firewall,
			(token) -> ((BearerTokenAuthenticationToken) token).getToken().equals(VALID) ? Mono.just(this.caller)
					: Mono.error(new AuthenticationServiceException("The revocation store cannot be reached")),
			(token) -> token.equals(KNOWN) ? this.knownCaller : null,
			new OAuth2ErrorServerAuthenticationEntryPoint(new OAuth2ResponseWriter(JsonMapper.builder().build()),
					this.meters));

	private final AtomicReference<ServerWebExchange> passed = new AtomicReference<>();

	private final AtomicReference<SecurityContext> context = new AtomicReference<>();

	private final WebFilterChain chain = (exchange) -> {
		this.passed.set(exchange);
		return ReactiveSecurityContextHolder.getContext().doOnNext(this.context::set).then();
	};

	@Test
	void filterWhenOwnEndpointThenPassedUntouched() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/Api/access_token"));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get()).isSameAs(exchange);
		assertThat(exchange.getResponse().getStatusCode()).isNull();
	}

	@Test
	void filterWhenValidTokenThenPrincipalAndSecurityContextForTheGatewayFilters() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/Api/V8/module/Accounts").header(HttpHeaders.AUTHORIZATION, "Bearer " + VALID));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get().getPrincipal().block()).isSameAs(this.caller);
		assertThat(this.context.get().getAuthentication()).isSameAs(this.caller);
		// the firewall's wrappers are not kept on the exchange
		assertThat(this.passed.get().getRequest()).isSameAs(exchange.getRequest());
		exchange.getResponse().setComplete().block();
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Frame-Options")).isEqualTo("DENY");
	}

	@Test
	void filterWhenTokenKnownGoodThenItsCallerWithoutAskingTheAuthenticationManager() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/Api/V8/module/Accounts").header(HttpHeaders.AUTHORIZATION, "bearer " + KNOWN));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get().getPrincipal().block()).isSameAs(this.knownCaller);
		assertThat(this.context.get().getAuthentication()).isSameAs(this.knownCaller);
		assertThat(CallerIdentity.of(this.passed.get())).isEqualTo(new CallerIdentity("user-1", "client-1", "accounts.read"));
		exchange.getResponse().setComplete().block();
		assertThat(exchange.getResponse().getHeaders().getFirst("X-Frame-Options")).isEqualTo("DENY");
	}

	@Test
	void filterWhenTokenKnownGoodButFirewallRejectsThenBadRequestAndNotPassed() {
		MockServerWebExchange exchange = MockServerWebExchange.from(
				MockServerHttpRequest.get("/Api/V8/../V8/module").header(HttpHeaders.AUTHORIZATION, "Bearer " + KNOWN));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void filterWhenKnownTokenInAnotherSpellingThenTheAuthenticationManagerDecides() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/Api/V8/module")
			.header(HttpHeaders.AUTHORIZATION, "Bearer  " + KNOWN));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void filterWhenNoTokenThenUnauthorizedAndNotPassed() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/anything"));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
		assertThat(this.meters.counter("portcullis.proxy.refusals", "reason", "missing").count()).isEqualTo(1);
	}

	@Test
	void filterWhenRevocationStoreUnreachableThenServiceUnavailableAndNotPassed() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/anything").header(HttpHeaders.AUTHORIZATION, "Bearer other.token.value"));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
	}

	@Test
	void filterWhenFirewallRejectsThenBadRequestAndNotPassed() {
		MockServerWebExchange exchange = MockServerWebExchange.from(
				MockServerHttpRequest.get("/Api/V8/../V8/module").header(HttpHeaders.AUTHORIZATION, "Bearer " + VALID));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void filterWhenControlCharacterInTheTokensHeaderThenBadRequestAndNotPassed() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/Api/V8/module")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + VALID + "\u0085"));

		this.filter.filter(exchange, this.chain).block();

		assertThat(this.passed.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void exceptWhereCheckedWhenThisFilterCheckedTheRequestThenSpringSecuritysFirewallLetsItBe() {
		ServerWebExchangeFirewall chainFirewall = BearerTokenWebFilter.exceptWhereChecked(this.firewall);
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/Api/V8/module").header(HttpHeaders.AUTHORIZATION, "Bearer " + VALID));
		MockServerWebExchange unchecked = MockServerWebExchange.from(MockServerHttpRequest.get("/Api/V8/module"));

		this.filter.filter(exchange, this.chain).block();

		assertThat(chainFirewall.getFirewalledExchange(this.passed.get()).block()).isSameAs(this.passed.get());
		assertThat(chainFirewall.getFirewalledExchange(unchecked).block()).isNotSameAs(unchecked);
	}

	@Test
	void exceptWhereCheckedWhenThisFilterCheckedTheRequestThenSpringSecuritysChainsAreNotAskedElseTheyAre() {
		AtomicReference<ServerWebExchange> asked = new AtomicReference<>();
		WebFilter chains = BearerTokenWebFilter.exceptWhereChecked((exchange, chain) -> {
			asked.set(exchange);
			return chain.filter(exchange);
		});
		MockServerWebExchange proxied = MockServerWebExchange
			.from(MockServerHttpRequest.get("/Api/V8/module").header(HttpHeaders.AUTHORIZATION, "Bearer " + VALID));
		MockServerWebExchange own = MockServerWebExchange.from(MockServerHttpRequest.post("/Api/access_token"));

		this.filter.filter(proxied, (exchange) -> chains.filter(exchange, this.chain)).block();
		assertThat(asked.get()).isNull();
		assertThat(this.passed.get().getPrincipal().block()).isSameAs(this.caller);

		this.filter.filter(own, (exchange) -> chains.filter(exchange, this.chain)).block();
		assertThat(asked.get()).isSameAs(own);
	}

}
