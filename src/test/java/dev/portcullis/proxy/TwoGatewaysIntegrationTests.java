package dev.portcullis.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.portcullis.support.Replicas;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static dev.portcullis.support.Replicas.accounts;
import static dev.portcullis.support.Replicas.refusedWithin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas, A and B, sharing one Redis (same namespace) and one backend: a token issued by one works at the
 * other, and a token ended at one (refresh rotation, logout, refresh token reuse) is refused by the other within
 * 1 second. A starts first and generates the signing key; B finds it in Redis.
 */
@RequiresRedis
class TwoGatewaysIntegrationTests {

	private static final String CLIENT_ID = "replica-test-client";

	private static final String SECRET = "replica-test-secret";

	private static final String USERNAME = "replica-user";

	private static final String PASSWORD = "replica-password";

	private static final String ROOT = "replica-root";

	private static final String OPS = "replica-ops";

	private static final String ADMIN_PASSWORD = "replica-admin-password";

	private static Replicas replicas;

	private static ConfigurableApplicationContext gatewayA;

	private static ConfigurableApplicationContext gatewayB;

	private static WebTestClient a;

	private static WebTestClient b;

	@BeforeAll
	static void startTwoGateways() {
		replicas = new Replicas();
		gatewayA = replicas.start(properties());
		gatewayB = replicas.start(properties());
		a = TestGateways.client(gatewayA);
		b = TestGateways.client(gatewayB);
	}

	@AfterAll
	static void stopTwoGateways() {
		if (replicas != null) {
			replicas.close();
		}
	}

	@Test
	void tokenIssuedByAThenAcceptedByBWithTheSameSigningKey() {
		Tokens tokens = passwordGrant(a);

		Map<String, Object> echo = TestGateways.parse(accounts(b, tokens.access())
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(echo).extractingByKey("headers")
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsKey("x-auth-subject");
		accounts(a, tokens.access()).expectStatus().isOk();
		assertThat(jwks(b)).as("both replicas publish the key kept in Redis").isEqualTo(jwks(a));
		// and the other way round
		accounts(a, passwordGrant(b).access()).expectStatus().isOk();
	}

	@Test
	void refreshAtAThenOldAccessTokenRefusedAtBWithinOneSecond() throws InterruptedException {
		Tokens first = passwordGrant(a);
		accounts(b, first.access()).expectStatus().isOk();

		Tokens second = Tokens.of(refresh(a, first.refresh()));
		Duration refusedAfter = refusedWithin(b, first.access());

		System.out.println("refresh at A: old access token refused at B after " + refusedAfter.toMillis() + " ms");
		accounts(b, second.access()).expectStatus().isOk();
		accounts(a, second.access()).expectStatus().isOk();
	}

	@Test
	void logoutAtBThenTokenRefusedAtAWithinOneSecondAndItsRefreshTokenToo() throws InterruptedException {
		Tokens tokens = passwordGrant(a);
		accounts(a, tokens.access()).expectStatus().isOk();

		b.post()
			.uri("/Api/V8/logout")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.access())
			.exchange()
			.expectStatus()
			.isOk();
		Duration refusedAfter = refusedWithin(a, tokens.access());

		System.out.println("logout at B: access token refused at A after " + refusedAfter.toMillis() + " ms");
		Map<String, Object> error = TestGateways.parse(refresh(a, tokens.refresh()).expectStatus()
			.isUnauthorized()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(error).containsEntry("error", "invalid_request")
			.containsEntry("error_description", "The refresh token is invalid.");
	}

	@Test
	void reuseOfRotatedOutRefreshTokenAtAThenCurrentAccessTokenRefusedAtBWithinOneSecond() throws InterruptedException {
		Tokens first = passwordGrant(a);
		Tokens second = Tokens.of(refresh(a, first.refresh()));
		accounts(b, second.access()).expectStatus().isOk();

		// the rotated-out refresh token presented again: the whole grant ends (RFC 9700 §4.14.2)
		refresh(a, first.refresh()).expectStatus().isUnauthorized();
		Duration refusedAfter = refusedWithin(b, second.access());

		System.out.println("refresh token reuse at A: current access token refused at B after " + refusedAfter.toMillis()
				+ " ms");
		accounts(a, second.access()).expectStatus().isUnauthorized();
		refresh(b, second.refresh()).expectStatus().isUnauthorized();
	}

	/** Issue 11: who may administer is read from the shared store on every request, not remembered per replica. */
	@Test
	void administratorDemotedThroughAThenRefusedAtBOnTheNextRequest() {
		String ops = basic(OPS);
		b.get().uri("/admin/api/users").header(HttpHeaders.AUTHORIZATION, ops).exchange().expectStatus().isOk();
		Map<String, Object> found = TestGateways.parse(a.get()
			.uri("/admin/api/users?search=" + OPS)
			.header(HttpHeaders.AUTHORIZATION, basic(ROOT))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		@SuppressWarnings("unchecked")
		String opsId = (String) ((List<Map<String, Object>>) found.get("items")).get(0).get("id");

		a.patch()
			.uri("/admin/api/users/" + opsId)
			.header(HttpHeaders.AUTHORIZATION, basic(ROOT))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"admin\":false}")
			.exchange()
			.expectStatus()
			.isOk();

		b.get().uri("/admin/api/users").header(HttpHeaders.AUTHORIZATION, ops).exchange().expectStatus().isUnauthorized();
	}

	/**
	 * Issue 16: a replica authenticates token requests against the client as it read it a moment ago; a secret
	 * rotated through the other replica is refused once the change is announced (within a second, as revocations),
	 * and a deleted client gets no token on the next request (the grant is checked against the stored client).
	 */
	@Test
	void secretRotatedOrClientDeletedThroughAThenRefusedAtB() {
		Map<String, Object> created = TestGateways.parse(a.post()
			.uri("/admin/api/clients")
			.header(HttpHeaders.AUTHORIZATION, basic(ROOT))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Remembered at B", "grantTypes", List.of("client_credentials")))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody());
		String id = (String) created.get("id");
		String oldSecret = (String) created.get("secret");
		clientCredentials(b, id, oldSecret).expectStatus().isOk();
		clientCredentials(b, id, oldSecret).expectStatus().isOk();

		Map<String, Object> rotated = TestGateways.parse(a.post()
			.uri("/admin/api/clients/" + id + "/secret")
			.header(HttpHeaders.AUTHORIZATION, basic(ROOT))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());

		await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
			.until(() -> clientCredentials(b, id, oldSecret).returnResult(String.class).getStatus().value() == 401);
		clientCredentials(b, id, oldSecret).expectStatus().isUnauthorized();
		String newSecret = (String) rotated.get("secret");
		clientCredentials(b, id, newSecret).expectStatus().isOk();

		a.delete().uri("/admin/api/clients/" + id).header(HttpHeaders.AUTHORIZATION, basic(ROOT)).exchange()
			.expectStatus().isNoContent();

		clientCredentials(b, id, newSecret).expectStatus().isUnauthorized();
	}

	private static WebTestClient.ResponseSpec clientCredentials(WebTestClient gateway, String clientId, String secret) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		form.add("client_id", clientId);
		form.add("client_secret", secret);
		return tokenRequest(gateway, form);
	}

	/** Issue 11: guesses counted at one replica count at the other (the counters are in the shared store). */
	@Test
	void secretsGuessedAtAThenTheSameGuessesRefusedAtB() {
		String address = TestGateways.randomLoopbackAddress();
		WebTestClient attackerAtA = TestGateways.clientFrom(TestGateways.port(gatewayA), address);
		WebTestClient attackerAtB = TestGateways.clientFrom(TestGateways.port(gatewayB), address);
		for (int i = 0; i < 5; i++) {
			guess(attackerAtA, "guess-" + i).expectStatus().isUnauthorized();
		}

		guess(attackerAtB, "guess-at-b").expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("too_many_attempts");
	}

	private static WebTestClient.ResponseSpec guess(WebTestClient gateway, String secret) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "password");
		form.add("client_id", CLIENT_ID);
		form.add("client_secret", secret);
		form.add("username", USERNAME);
		form.add("password", PASSWORD);
		return tokenRequest(gateway, form);
	}

	private static String basic(String username) {
		return "Basic " + java.util.Base64.getEncoder()
			.encodeToString((username + ":" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static Tokens passwordGrant(WebTestClient gateway) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "password");
		form.add("client_id", CLIENT_ID);
		form.add("client_secret", SECRET);
		form.add("username", USERNAME);
		form.add("password", PASSWORD);
		return Tokens.of(tokenRequest(gateway, form));
	}

	private static WebTestClient.ResponseSpec refresh(WebTestClient gateway, String refreshToken) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "refresh_token");
		form.add("client_id", CLIENT_ID);
		form.add("client_secret", SECRET);
		form.add("refresh_token", refreshToken);
		return tokenRequest(gateway, form);
	}

	private static WebTestClient.ResponseSpec tokenRequest(WebTestClient gateway, MultiValueMap<String, String> form) {
		return gateway.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

	private static String jwks(WebTestClient gateway) {
		return gateway.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk().expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static List<String> properties() {
		return List.of("portcullis.bootstrap.users[0].username=" + USERNAME, "portcullis.bootstrap.users[0].password=" + PASSWORD,
				"portcullis.bootstrap.clients[0].id=" + CLIENT_ID, "portcullis.bootstrap.clients[0].name=Replica test client",
				"portcullis.bootstrap.clients[0].secret=" + SECRET,
				"portcullis.bootstrap.clients[0].grant-types=password",
				"portcullis.bootstrap.users[1].username=" + ROOT, "portcullis.bootstrap.users[1].password=" + ADMIN_PASSWORD,
				"portcullis.bootstrap.users[1].admin=true",
				"portcullis.bootstrap.users[2].username=" + OPS, "portcullis.bootstrap.users[2].password=" + ADMIN_PASSWORD,
				"portcullis.bootstrap.users[2].admin=true");
	}

	/** The part of a token response these tests use. */
	private record Tokens(String access, String refresh) {

		static Tokens of(WebTestClient.ResponseSpec response) {
			Map<String, Object> body = TestGateways
				.parse(response.expectStatus().isOk().expectBody().returnResult().getResponseBody());
			assertThat(body).containsKeys("access_token", "refresh_token");
			return new Tokens((String) body.get("access_token"), (String) body.get("refresh_token"));
		}

	}

}
