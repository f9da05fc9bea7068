package dev.portcullis.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.TokenContext;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.RsaKeys;
import dev.portcullis.web.PortcullisIntegrationTests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proxied CRM requests over real HTTP to a real backend on a loopback port: what passes, what the backend is told,
 * and every refusal with league's {@code access_denied} envelope.
 */
class ProxyIntegrationTests extends PortcullisIntegrationTests {

	private static final String ACCOUNTS = "/Api/V8/module/Accounts";

	@Autowired
	private JwtAccessTokenGenerator generator;

	@Autowired
	private CurrentSigningKeys keys;

	@Autowired
	private RevocationCheckingJwtDecoder decoder;

	@Autowired
	private io.micrometer.core.instrument.MeterRegistry meters;

	@org.springframework.boot.test.web.server.LocalServerPort
	private int port;

	@Test
	void proxyWhenValidTokenThenBackendGetsRequestAndIdentity() {
		String token = clientCredentialsToken();
		String clientId = (String) claims(token).get("client_id");

		// the query as SuiteCRM clients send it: JSON:API brackets, percent-encoded
		String query = "fields%5BAccounts%5D=name,email1&page%5Bsize%5D=2&filter%5Bname%5D%5Beq%5D=Acme%20Inc";
		Map<String, Object> echo = echo(this.http.get()
			.uri(java.net.URI.create("http://127.0.0.1:" + this.port + ACCOUNTS + "?" + query))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.header("Accept", "application/vnd.api+json")
			.exchange());

		assertThat(echo).containsEntry("method", "GET").containsEntry("path", ACCOUNTS);
		assertThat((String) echo.get("query")).isEqualTo(query);
		Map<String, List<String>> headers = headers(echo);
		assertThat(headers).containsEntry("x-auth-subject", List.of(clientId))
			.containsEntry("x-auth-client-id", List.of(clientId))
			.containsEntry("x-auth-scopes", List.of(""))
			.containsEntry("authorization", List.of("Bearer " + token))
			.containsEntry("accept", List.of("application/vnd.api+json"));
	}

	@Test
	void proxyWhenClientSendsIdentityHeadersThenReplacedNotForwarded() {
		String token = clientCredentialsToken();
		String clientId = (String) claims(token).get("client_id");

		Map<String, Object> echo = echo(this.http.get()
			.uri(ACCOUNTS)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.header("X-Auth-Subject", "1")
			.header("x-auth-client-id", "admin-client")
			.header("X-Auth-Scopes", "admin")
			.exchange());

		assertThat(headers(echo)).containsEntry("x-auth-subject", List.of(clientId))
			.containsEntry("x-auth-client-id", List.of(clientId))
			.containsEntry("x-auth-scopes", List.of(""));
	}

	@Test
	void proxyWhenWritesWithJsonApiBodiesThenPassedUnchanged() {
		String token = clientCredentialsToken();
		String body = "{\"data\":{\"type\":\"Accounts\",\"attributes\":{\"name\":\"Acme ✓\"}}}";
		for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE)) {
			Map<String, Object> echo = echo(this.http.method(method)
				.uri("/Api/V8/module")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.header(HttpHeaders.CONTENT_TYPE, "application/vnd.api+json")
				.bodyValue(body)
				.exchange());
			assertThat(echo).containsEntry("method", method.name()).containsEntry("body", body);
			assertThat(headers(echo)).containsEntry("content-type", List.of("application/vnd.api+json"));
		}
	}

	@Test
	void proxyWhenBackendAnswers4xxOr5xxThenPassedThrough() {
		String token = clientCredentialsToken();
		for (int status : new int[] { 400, 404, 500, 503 }) {
			this.http.get()
				.uri("/Api/V8/status/" + status)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.exchange()
				.expectStatus()
				.isEqualTo(status)
				.expectHeader()
				.valueEquals(HttpHeaders.CONTENT_TYPE, "application/vnd.api+json")
				.expectBody()
				.jsonPath("$.errors.status")
				.isEqualTo(status);
		}
	}

	@Test
	void proxyWhenBearerSchemeInAnotherCaseThenAccepted() {
		String token = clientCredentialsToken();

		this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "bearer " + token).exchange().expectStatus().isOk();
		this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "BEARER " + token).exchange().expectStatus().isOk();
	}

	@Test
	void proxyWhenNoAuthorizationHeaderThenMissingHeaderHint() {
		this.http.get()
			.uri(ACCOUNTS)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_TYPE, "application/json")
			.expectBody()
			.json("{\"error\":\"access_denied\",\"error_description\":\"The resource owner or authorization server denied the request.\","
					+ "\"hint\":\"Missing \\\"Authorization\\\" header\",\"message\":\"The resource owner or authorization server denied the request.\"}",
					true);
	}

	@Test
	void proxyWhenTokenUnusableThenCouldNotBeVerified() throws Exception {
		String token = clientCredentialsToken();
		String[] parts = token.split("\\.");
		String otherPayload = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
				.replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"1\"")
				.getBytes(StandardCharsets.UTF_8));
		String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
				+ parts[1] + ".";
		JWSObject hmac = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(
				new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)));
		hmac.sign(new MACSigner(this.keys.current().set().active().get().publicKey().toRSAKey().toRSAPublicKey().getEncoded()));
		String otherKey = new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(RsaKeys.generate()), "portcullis")
			.generate(context(Instant.now(), Duration.ofHours(1)), SigningAlgorithm.RS256)
			.value();
		String otherIssuer = new JwtAccessTokenGenerator(this.keys, "someone-else")
			.generate(context(Instant.now(), Duration.ofHours(1)), SigningAlgorithm.RS256)
			.value();

		for (String bad : List.of("garbage", "a.b.c", parts[0] + "." + otherPayload + "." + parts[2], none,
				hmac.serialize(), otherKey, otherIssuer)) {
			assertRefused(this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + bad).exchange(),
					"Access token could not be verified");
		}
		assertRefused(this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Basic Zm9vOmJhcg==").exchange(),
				"Access token could not be verified");
	}

	@Test
	void proxyWhenRefusedThenCountedByReason() {
		double before = this.meters.counter("portcullis.proxy.refusals", "reason", "missing").count();

		this.http.get().uri(ACCOUNTS).exchange().expectStatus().isUnauthorized();

		assertThat(this.meters.counter("portcullis.proxy.refusals", "reason", "missing").count()).isEqualTo(before + 1);
	}

	/**
	 * Issue 11: unauthenticated /actuator/prometheus listed client ids and the backends' internal URIs. The actuator
	 * is served on the management port only, which the ingress never routes; on the gateway's port the path needs a
	 * token like any other (see ActuatorPathsOnTheGatewayPortIntegrationTests) and, with one, finds nothing.
	 */
	@Test
	void actuatorWhenAskedOnTheGatewayPortThenNotServedThere() {
		String token = clientCredentialsToken();
		for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator/info")) {
			this.http.get().uri(path).exchange().expectStatus().isUnauthorized();
			this.http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus()
				.isNotFound();
		}
		management().get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	@Test
	void prometheusWhenRequestsMadeThenTokenProxyAndRedisMetricsScraped() {
		String token = clientCredentialsToken();
		this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus().isOk();
		this.http.get().uri(ACCOUNTS).exchange().expectStatus().isUnauthorized();

		String scrape = management().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(scrape).contains("portcullis_tokens_issued_total{", "portcullis_proxy_refusals_total{reason=\"missing\"}",
				"spring_cloud_gateway_requests_seconds_bucket{", "routeId=\"crm-api-v8\"", "lettuce_seconds_count{db_operation=\"HGET\"");
		// no in-flight timers: each cost two meter lookups per Redis command
		assertThat(scrape).doesNotContain("lettuce_active_seconds", "_active_seconds_count{");
	}

	/** Issue 16: a proxied request is timed once, by the gateway; the token endpoint keeps the server's timer. */
	@Test
	void prometheusWhenTracingOffThenProxiedRequestsTimedByTheGatewayOnly() {
		String token = clientCredentialsToken();
		String before = scrape();
		for (int i = 0; i < 3; i++) {
			this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus()
				.isOk();
		}
		// the gateway's timer counts each request as it ends, just after its response is sent
		await().atMost(Duration.ofSeconds(30))
			.until(() -> count(scrape(), PROXIED_BY_THE_GATEWAY) >= count(before, PROXIED_BY_THE_GATEWAY) + 3);

		String after = scrape();
		assertThat(after).contains("http_server_requests_seconds_count{", "uri=\"/Api/access_token\"");
		// a proxied request matches no handler's pattern: the server's timer would count it under uri="UNKNOWN"
		assertThat(count(after, UNMATCHED_BY_THE_SERVER)).isEqualTo(count(before, UNMATCHED_BY_THE_SERVER));
	}

	/** The gateway's timer of the CRM route, for the requests answered 200. */
	private static final String[] PROXIED_BY_THE_GATEWAY = { "spring_cloud_gateway_requests_seconds_count{",
			"routeId=\"crm-api-v8\"", "httpStatusCode=\"200\"" };

	/** The server's timer of requests answered 200 that matched no handler's pattern. */
	private static final String[] UNMATCHED_BY_THE_SERVER = { "http_server_requests_seconds_count{",
			"uri=\"UNKNOWN\"", "status=\"200\"" };

	private String scrape() {
		return management().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/** The requests counted by a timer's lines that have every one of the given parts. */
	private static double count(String scrape, String[] parts) {
		return scrape.lines()
			.filter((line) -> Arrays.stream(parts).allMatch(line::contains))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	@Test
	void proxyWhenTokenExpiredOrNotYetValidThenRefused() {
		String expired = this.generator
			.generate(context(Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1)), SigningAlgorithm.RS256)
			.value();
		String future = this.generator
			.generate(context(Instant.now().plus(Duration.ofHours(1)), Duration.ofHours(1)), SigningAlgorithm.RS256)
			.value();

		assertRefused(this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + expired).exchange(),
				"Access token has expired");
		assertRefused(this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + future).exchange(),
				"Access token could not be verified");
	}

	@Test
	void proxyWhenTokenRefreshedAwayThenRevoked() {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		Map<String, Object> tokens = passwordGrant(clientId, user);
		String oldAccess = (String) tokens.get("access_token");
		this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + oldAccess).exchange().expectStatus().isOk();
		assertKnownGoodOnceUsed(oldAccess);

		Map<String, Object> refreshed = parse(postForm(form("grant_type", "refresh_token", "client_id", clientId,
				"client_secret", secretOf(clientId), "refresh_token", (String) tokens.get("refresh_token")))
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());

		assertThat(this.decoder.decodeIfKnownGood(oldAccess)).as("no longer known good").isNull();
		assertRefused(this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + oldAccess).exchange(),
				"Access token has been revoked");
		this.http.get()
			.uri(ACCOUNTS)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + refreshed.get("access_token"))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void logoutWhenCalledThenSuiteCrmAnswerAndBothTokensEnd() {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		Map<String, Object> tokens = passwordGrant(clientId, user);
		String access = (String) tokens.get("access_token");

		String body = this.http.post()
			.uri("/Api/V8/logout")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + access)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_TYPE, "application/vnd.api+json")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).isEqualTo("{\n    \"meta\": {\n        \"message\": \"You have been successfully logged out\"\n    },\n    \"data\": []\n}");
		assertRefused(this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + access).exchange(),
				"Access token has been revoked");
		postForm(form("grant_type", "refresh_token", "client_id", clientId, "client_secret", secretOf(clientId),
				"refresh_token", (String) tokens.get("refresh_token")))
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.hint")
			.isEqualTo("Token has been revoked");
	}

	@Test
	void logoutWhenNoTokenThenRefused() {
		assertRefused(this.http.post().uri("/Api/V8/logout").header(HttpHeaders.AUTHORIZATION, "Bearer nope").exchange(),
				"Access token could not be verified");
	}

	@Test
	void scopedRouteWhenTokenLacksScopeThenForbiddenInsufficientScope() {
		String token = clientCredentialsToken();

		this.http.get()
			.uri("/Api/scoped/thing")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"accounts.read\"")
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("insufficient_scope");
	}

	@Test
	void scopedRouteWhenTokenHasScopeThenForwardedWithoutAuthorizationHeader() {
		String token = clientCredentialsToken("accounts.read", "contacts.read");

		Map<String, Object> echo = echo(
				this.http.get().uri("/Api/scoped/thing").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange());

		assertThat(headers(echo)).doesNotContainKey("authorization")
			.containsEntry("x-auth-scopes", List.of("accounts.read contacts.read"));
	}

	private TokenContext context(Instant issuedAt, Duration lifetime) {
		return new TokenContext(dev.portcullis.oauth2.token.TokenIds.newAuthorizationId(), "some-client",
				"some-user", Set.of(), issuedAt, lifetime);
	}

	/** Issue 11: one valid token had endless spellings, each a full signature check and a verified-cache entry. */
	@Test
	void proxyWhenAnotherSpellingOfAValidTokenThenRefusedAndNothingForwarded() {
		String token = clientCredentialsToken();
		this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus().isOk();
		long forwardedBefore = UPSTREAM.requestCount();

		for (String spelling : List.of(token.substring(0, token.length() - 20) + "~" + token.substring(token.length() - 20),
				token.replace('-', '+').replace('_', '/'), token + "=")) {
			assertThat(spelling).isNotEqualTo(token);
			assertRefused(this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + spelling).exchange(),
					"Access token could not be verified");
		}
		assertThat(UPSTREAM.requestCount()).isEqualTo(forwardedBefore);
	}

	/**
	 * The gateway answers this token without waiting once it has been used: right after a use, as the local revocation
	 * view remembers a "not revoked" for a second only (a few tries, for a slow machine).
	 */
	private void assertKnownGoodOnceUsed(String token) {
		for (int i = 0; i < 5 && this.decoder.decodeIfKnownGood(token) == null; i++) {
			this.http.get().uri(ACCOUNTS).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus().isOk();
		}
		assertThat(this.decoder.decodeIfKnownGood(token)).as("known good once used").isNotNull();
	}

	private void assertRefused(WebTestClient.ResponseSpec response, String hint) {
		response.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE,
					(challenge) -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""))
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("access_denied")
			.jsonPath("$.hint")
			.isEqualTo(hint);
	}

	private Map<String, Object> echo(WebTestClient.ResponseSpec response) {
		return parse(response.expectStatus().isOk().expectBody().returnResult().getResponseBody());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, List<String>> headers(Map<String, Object> echo) {
		return (Map<String, List<String>>) echo.get("headers");
	}

	private Map<String, Object> claims(String token) {
		return parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
	}

	private Map<String, Object> passwordGrant(String clientId, User user) {
		return parse(postForm(form("grant_type", "password", "client_id", clientId, "client_secret", secretOf(clientId),
				"username", user.username(), "password", user.username() + "-password"))
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

}
