package dev.portcullis.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.TokenContext;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.support.RawHttp;
import dev.portcullis.support.RsaKeys;
import dev.portcullis.web.PortcullisIntegrationTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: proxied requests are checked by {@link BearerTokenWebFilter} instead of Spring Security's chain. It must
 * answer exactly as the chain did (the figures below were recorded from the chain before the change): the same
 * security headers on what the backend answers and on refusals, and every attack the chain refused refused the same
 * way, on the default route and on a route of the user's own, with nothing forwarded.
 */
class BearerTokenWebFilterIntegrationTests extends PortcullisIntegrationTests {

	/** Spring Security's default response headers, as the chain wrote them on a proxied 200. */
	private static final Map<String, String> SECURITY_HEADERS = Map.of("cache-control",
			"no-cache, no-store, max-age=0, must-revalidate", "pragma", "no-cache", "expires", "0",
			"x-content-type-options", "nosniff", "x-frame-options", "DENY", "x-xss-protection", "0", "referrer-policy",
			"no-referrer");

	/** Spring Security's name for its {@code WebFilterChainProxy} bean. */
	private static final String SECURITY_CHAINS_BEAN = "org.springframework.security.config.annotation.web.reactive."
			+ "WebFluxSecurityConfiguration.WebFilterChainFilter";

	@Autowired
	private CurrentSigningKeys keys;

	@Autowired
	private ApplicationContext context;

	@LocalServerPort
	private int port;

	/**
	 * Spring Security's chains are skipped for the requests this filter has checked: that is only sound while no chain
	 * matches a request outside Portcullis's own endpoints, and while they stand right after this filter.
	 */
	@Test
	void securityChainsWhenAskedThenMatchOnlyOwnEndpointsAndStandRightAfterTheBearerFilter() {
		@SuppressWarnings("unchecked")
		Predicate<ServerWebExchange> ownEndpoints = this.context.getBean("ownEndpoints", Predicate.class);
		List<String> matched = new ArrayList<>();
		for (String path : List.of("/Api/V8/module/Accounts", "/Api/V8/logout", "/Api/V8/logout/more",
				"/Api/access_token", "/Api/access_token/x", "/Api/oauth/revoke", "/login", "/login/x", "/logout",
				"/admin", "/admin/", "/admin/clients", "/admin/api/users", "/adminx", "/admin-api", "/Admin/api/users",
				"/.well-known/jwks.json", "/actuator/health", "/anything", "/")) {
			for (SecurityWebFilterChain chain : this.context.getBeansOfType(SecurityWebFilterChain.class).values()) {
				MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
				if (Boolean.TRUE.equals(chain.matches(exchange).block())) {
					matched.add(path);
					assertThat(ownEndpoints.test(exchange)).as(path).isTrue();
				}
			}
		}
		assertThat(matched).contains("/Api/V8/logout", "/Api/access_token", "/login", "/admin", "/admin/api/users")
			.doesNotContain("/Api/V8/module/Accounts", "/anything");

		List<WebFilter> filters = this.context.getBeanProvider(WebFilter.class).orderedStream().toList();
		int bearer = filters.indexOf(this.context.getBean(BearerTokenWebFilter.class));
		assertThat(filters.get(bearer + 1)).isSameAs(this.context.getBean(SECURITY_CHAINS_BEAN));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/Api/V8/module/Accounts", "/Api/scoped/accounts" })
	void proxiedResponseWhenForwardedThenSecurityHeadersAsTheChainWroteThem(String path) {
		RawHttp.Response response = get(path, authorization(clientCredentialsToken("accounts.read")));

		assertThat(response.status()).isEqualTo(200);
		SECURITY_HEADERS.forEach((name, value) -> assertThat(response.header(name)).as(name).isEqualTo(value));
		assertThat(response.headers()).doesNotContainKeys("strict-transport-security", "content-security-policy",
				"www-authenticate");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/Api/V8/module/Accounts", "/Api/scoped/accounts", "/nowhere" })
	void proxiedRequestWhenRefusedThenSecurityHeadersAndNoStore(String path) {
		RawHttp.Response response = get(path);

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("www-authenticate")).isEqualTo("Bearer");
		// league's envelope says no-store itself: Spring Security then adds no Pragma or Expires
		assertThat(response.header("cache-control")).isEqualTo("no-store");
		assertThat(response.headers()).doesNotContainKeys("pragma", "expires");
		for (String name : List.of("x-content-type-options", "x-frame-options", "x-xss-protection", "referrer-policy")) {
			assertThat(response.header(name)).as(name).isEqualTo(SECURITY_HEADERS.get(name));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "/Api/V8/module/Accounts", "/Api/scoped/accounts" })
	void proxiedRequestWhenForgedTokenThenRefusedAndNothingForwarded(String path) throws Exception {
		String token = clientCredentialsToken("accounts.read");
		String[] parts = token.split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		JWSObject hmac = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payload));
		hmac.sign(new MACSigner(
				this.keys.current().set().active().get().publicKey().toRSAKey().toRSAPublicKey().getEncoded()));
		String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
				+ parts[1] + ".";
		String otherKey = new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(RsaKeys.generate()), "portcullis")
			.generate(new TokenContext(TokenIds.newAuthorizationId(), "some-client", "some-user", Set.of("accounts.read"),
					Instant.now(), Duration.ofHours(1)), SigningAlgorithm.RS256)
			.value();
		String otherSubject = parts[0] + "." + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(payload.replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"1\"").getBytes(StandardCharsets.UTF_8))
				+ "." + parts[2];
		long forwarded = UPSTREAM.requestCount();

		for (String forged : List.of(hmac.serialize(), none, otherKey, otherSubject, "garbage")) {
			RawHttp.Response response = get(path, authorization(forged));
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.header("www-authenticate"))
				.isEqualTo("Bearer error=\"invalid_token\", error_description=\"Access token could not be verified\"");
			assertThat(response.body()).contains("\"error\":\"access_denied\"");
		}
		assertThat(UPSTREAM.requestCount()).isEqualTo(forwarded);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/Api/V8/module/Accounts", "/Api/scoped/accounts" })
	void proxiedRequestWhenTokenInTheQueryStringOrAnotherSchemeThenRefused(String path) {
		String token = clientCredentialsToken("accounts.read");
		long forwarded = UPSTREAM.requestCount();

		// RFC 6750 §2.3's query parameter is not read: the request carries no credentials
		RawHttp.Response query = get(path + "?access_token=" + token);
		assertThat(query.status()).isEqualTo(401);
		assertThat(query.header("www-authenticate")).isEqualTo("Bearer");
		assertThat(query.body()).contains("Missing \\\"Authorization\\\" header");
		for (String authorization : List.of("Basic Zm9vOmJhcg==", "Token " + token, "Bearer " + token + " x",
				"Bearer  " + token)) {
			RawHttp.Response other = get(path, "Authorization: " + authorization);
			assertThat(other.status()).as(authorization).isEqualTo(401);
			assertThat(other.header("www-authenticate")).startsWith("Bearer error=\"invalid_token\"");
		}
		assertThat(UPSTREAM.requestCount()).isEqualTo(forwarded);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/Api/V8/module/Accounts", "/Api/scoped/accounts" })
	void proxiedRequestWhenTwoAuthorizationHeadersThenInvalidRequest(String path) {
		String token = clientCredentialsToken("accounts.read");
		long forwarded = UPSTREAM.requestCount();

		RawHttp.Response response = get(path, authorization(token), authorization(token));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("www-authenticate")).startsWith("Bearer error=\"invalid_request\"");
		assertThat(UPSTREAM.requestCount()).isEqualTo(forwarded);
	}

	/**
	 * Spring Security's firewall, as the chain applied it: the request line, and the headers the chain and the
	 * gateway read (a control character in a value), answered 400 without a body, and nothing forwarded.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/Api/V8/module/Accounts", "/Api/scoped/accounts" })
	void proxiedRequestWhenTheFirewallRejectsItThenBadRequestAndNothingForwarded(String path) {
		String token = clientCredentialsToken("accounts.read");
		String prefix = path.substring(0, path.lastIndexOf('/'));
		long forwarded = UPSTREAM.requestCount();

		List<RawHttp.Response> responses = new ArrayList<>();
		// a C1 control character (U+0085) in the token's header, and in the body's type
		responses.add(get(path, authorization(token) + "\u0085"));
		responses.add(exchange("POST " + path + " HTTP/1.1", authorization(token), "Content-Type: text/plain\u0085",
				"Content-Length: 0"));
		for (String target : List.of(prefix + "%2Faccounts", prefix + "/../accounts", prefix + "/./accounts",
				prefix + ";x=1/accounts", prefix + "/a%25b", prefix + "/%2e%2e/access_token", prefix + "/a%5cb",
				prefix + "/a%00b", prefix + "/a%0Ab", prefix + "//accounts")) {
			responses.add(get(target, authorization(token)));
		}
		responses.add(exchange("TRACE " + path + " HTTP/1.1", authorization(token)));

		for (RawHttp.Response response : responses) {
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.body()).isEmpty();
		}
		assertThat(UPSTREAM.requestCount()).isEqualTo(forwarded);
	}

	/** The firewall refuses no more than it did: a header value the chain never read reaches the backend. */
	@ParameterizedTest
	@ValueSource(strings = { "/Api/V8/module/Accounts", "/Api/scoped/accounts" })
	void proxiedRequestWhenUtf8HeaderValueThenForwarded(String path) {
		RawHttp.Response response = get(path, authorization(clientCredentialsToken("accounts.read")),
				"X-Customer: Erdős");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).contains("x-customer");
	}

	private RawHttp.Response get(String target, String... headers) {
		return exchange("GET " + target + " HTTP/1.1", headers);
	}

	private RawHttp.Response exchange(String requestLine, String... headers) {
		List<String> all = new ArrayList<>(List.of("Host: 127.0.0.1:" + this.port, "Connection: close"));
		all.addAll(List.of(headers));
		return RawHttp.exchange(this.port, RawHttp.head(requestLine, all.toArray(String[]::new)));
	}

	private static String authorization(String token) {
		return "Authorization: Bearer " + token;
	}

}
