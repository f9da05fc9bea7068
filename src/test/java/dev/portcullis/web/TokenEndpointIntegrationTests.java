package dev.portcullis.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.ClientTokenSettings;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.RevocationStore;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /Api/access_token} over real HTTP against Redis: the requests of SuiteCRM's API documentation as
 * written, and the wire behaviour of league/oauth2-server 8.4 (with the differences the README lists).
 */
class TokenEndpointIntegrationTests extends PortcullisIntegrationTests {

	private static final String VND_API_JSON = "application/vnd.api+json";

	@Autowired
	private AuthorizationStore authorizations;

	@Autowired
	private RevocationStore revocations;

	@Autowired
	private io.micrometer.core.instrument.MeterRegistry meters;

	@Autowired
	private org.springframework.core.env.Environment environment;

	@Test
	void clientCredentialsWhenSeedDocumentRequestThenSuiteCrmResponse() throws Exception {
		String clientId = uniqueId("cc");
		User user = registerUser(uniqueId("crm-user"), true);
		registerClient(clientId, Set.of(GrantType.CLIENT_CREDENTIALS), user.id(), Set.of(), null);
		String body = "{\"grant_type\":\"client_credentials\",\"client_id\":\"" + clientId + "\",\"client_secret\":\""
				+ secretOf(clientId) + "\"}";

		byte[] response = postJson(VND_API_JSON, body).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
			.expectHeader()
			.valueEquals(HttpHeaders.PRAGMA, "no-cache")
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
			.expectBody()
			.returnResult()
			.getResponseBody();

		String text = new String(response, StandardCharsets.UTF_8);
		assertThat(text).matches("\\{\"token_type\":\"Bearer\",\"expires_in\":36\\d\\d,\"access_token\":\"[^\"]+\"}");
		Map<String, Object> claims = verifiedClaims((String) parse(response).get("access_token"));
		assertThat(claims).containsEntry("aud", clientId).containsEntry("sub", user.id());
	}

	/**
	 * The three requests of SuiteCRM's API documentation, byte for byte (client id, secret, user and the literal
	 * {@code "refresh_token"} placeholder included), against a client and user registered with those values.
	 */
	@Test
	void seedDocumentWhenRequestsSentAsWrittenThenResponsesAsShown() {
		String seedClientId = "3D7f3fda97-d8e2-b9ad-eb89-5a2fe9b07650";
		RegisteredClient seedClient = new RegisteredClient(seedClientId, "Seed document client",
				this.hasher.hash("client_secret"), true, Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD), null,
				List.of(), Set.of());
		this.clients.save(seedClient).block(Duration.ofSeconds(5));
		// the seed's user is "admin"/"admin": replace whatever holds that username (e.g. the first-start administrator)
		User holder = this.users.findByUsername("admin").block(Duration.ofSeconds(5));
		if (holder != null) {
			this.users.deleteById(holder.id()).block(Duration.ofSeconds(5));
		}
		this.users.save(new User("1", "admin", this.hasher.hash("admin"), true, false)).block(Duration.ofSeconds(5));

		postJson(VND_API_JSON, "{\"grant_type\":\"client_credentials\",\"client_id\":\"3D7f3fda97-d8e2-b9ad-eb89-5a2fe9b07650\",\"client_secret\":\"client_secret\"}")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.token_type").isEqualTo("Bearer")
			.jsonPath("$.expires_in").isEqualTo(3600)
			.jsonPath("$.access_token").isNotEmpty()
			.jsonPath("$.refresh_token").doesNotExist();
		postJson(VND_API_JSON, "{\"grant_type\":\"password\",\"client_id\":\"3D7f3fda97-d8e2-b9ad-eb89-5a2fe9b07650\",\"client_secret\":\"client_secret\",\"username\":\"admin\",\"password\":\"admin\"}")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.token_type").isEqualTo("Bearer")
			.jsonPath("$.expires_in").isEqualTo(3600)
			.jsonPath("$.access_token").isNotEmpty()
			.jsonPath("$.refresh_token").isNotEmpty();
		// the placeholder is no refresh token: league's answer for a token it cannot read
		postJson(VND_API_JSON, "{\"grant_type\":\"refresh_token\",\"client_id\":\"3D7f3fda97-d8e2-b9ad-eb89-5a2fe9b07650\",\"client_secret\":\"client_secret\",\"refresh_token\":\"refresh_token\"}")
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error").isEqualTo("invalid_request")
			.jsonPath("$.hint").isEqualTo("Cannot decrypt the refresh token");
	}

	@Test
	void tokenEndpointWhenIssuingAndRefusingThenCountedByGrantClientAndError() {
		String clientId = uniqueId("cc");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);
		double refusedBefore = this.meters.counter("portcullis.token.errors", "error", "invalid_client").count();

		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secretOf(clientId)))
			.expectStatus().isOk();
		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", "wrong"))
			.expectStatus().isUnauthorized();

		assertThat(this.meters.counter("portcullis.tokens.issued", "grant_type", "client_credentials", "client_id", clientId)
			.count()).isEqualTo(1.0);
		assertThat(this.meters.counter("portcullis.token.errors", "error", "invalid_client").count())
			.isEqualTo(refusedBefore + 1);
	}

	@Test
	void readinessWhenRedisStoreThenIncludesRedis() {
		management().get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		assertThat(this.environment.getProperty("management.endpoint.health.group.readiness.include"))
			.isEqualTo("readinessState,redis");
	}

	@Test
	void tokenEndpointWhenNotPostThenMethodNotAllowed() {
		this.http.get()
			.uri("/Api/access_token")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.valueEquals(HttpHeaders.ALLOW, "POST");
	}

	@Test
	void accessTokenWhenIssuedThenLeagueHeaderAndClaimsInOrder() throws Exception {
		String clientId = uniqueId("cc");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);

		byte[] response = postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret",
				secretOf(clientId)))
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();

		String jwt = (String) parse(response).get("access_token");
		String[] parts = jwt.split("\\.");
		String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		assertThat(header).startsWith("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"");
		assertThat(payload).matches("\\{\"aud\":\"" + clientId + "\",\"jti\":\"[0-9a-f]{80}\",\"iat\":(\\d+),\"nbf\":\\1,"
				+ "\"exp\":\\d+,\"sub\":\"" + clientId + "\",\"scopes\":\\[],\"iss\":\"portcullis\",\"client_id\":\""
				+ clientId + "\"}");
		Map<String, Object> claims = verifiedClaims(jwt);
		assertThat((Long) claims.get("exp") - (Long) claims.get("iat")).isEqualTo(3600);
	}

	@Test
	void passwordWhenSeedDocumentRequestThenAccessAndRefreshToken() throws Exception {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("admin"), true);
		String body = "{\"grant_type\":\"password\",\"client_id\":\"" + clientId + "\",\"client_secret\":\""
				+ secretOf(clientId) + "\",\"username\":\"" + user.username().toUpperCase() + "\",\"password\":\""
				+ user.username() + "-password\"}";

		byte[] response = postJson(VND_API_JSON, body).expectStatus().isOk().expectBody().returnResult().getResponseBody();

		assertThat(new String(response, StandardCharsets.UTF_8)).matches(
				"\\{\"token_type\":\"Bearer\",\"expires_in\":36\\d\\d,\"access_token\":\"[^\"]+\",\"refresh_token\":\"[0-9a-f]{96}\"}");
		assertThat(verifiedClaims((String) parse(response).get("access_token"))).containsEntry("sub", user.id());
	}

	@Test
	void refreshWhenSeedDocumentRequestThenRotatesAndOldTokensDie() throws Exception {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		Map<String, Object> first = passwordGrant(clientId, user);
		String firstAccessJti = (String) verifiedClaims((String) first.get("access_token")).get("jti");
		String body = "{\"grant_type\":\"refresh_token\",\"client_id\":\"" + clientId + "\",\"client_secret\":\""
				+ secretOf(clientId) + "\",\"refresh_token\":\"" + first.get("refresh_token") + "\"}";

		byte[] response = postJson(VND_API_JSON, body).expectStatus().isOk().expectBody().returnResult().getResponseBody();

		Map<String, Object> second = parse(response);
		assertThat(second.get("refresh_token")).isNotEqualTo(first.get("refresh_token"));
		assertThat(verifiedClaims((String) second.get("access_token"))).containsEntry("sub", user.id());
		assertThat(this.revocations.isRevoked(firstAccessJti).block()).as("old access token revoked at once").isTrue();
		postJson(VND_API_JSON, body).expectStatus()
			.isUnauthorized()
			.expectBody()
			.json("{\"error\":\"invalid_request\",\"error_description\":\"The refresh token is invalid.\","
					+ "\"hint\":\"Token has been revoked\",\"message\":\"The refresh token is invalid.\"}", true);
	}

	@Test
	void refreshWhenRotatedOutTokenReusedThenWholeGrantRevoked() throws Exception {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		Map<String, Object> first = passwordGrant(clientId, user);
		Map<String, Object> second = parse(refresh(clientId, (String) first.get("refresh_token")).expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		String secondJti = (String) verifiedClaims((String) second.get("access_token")).get("jti");

		refresh(clientId, (String) first.get("refresh_token")).expectStatus().isUnauthorized();

		assertThat(this.revocations.isRevoked(secondJti).block()).as("reuse revokes the current access token").isTrue();
		refresh(clientId, (String) second.get("refresh_token")).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.hint")
			.isEqualTo("Token has been revoked");
	}

	@Test
	void refreshWhenFiftyConcurrentRequestsWithOneTokenThenExactlyOneSucceeds() throws Exception {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		String refreshToken = (String) passwordGrant(clientId, user).get("refresh_token");
		ExecutorService pool = Executors.newFixedThreadPool(50);
		try {
			List<Callable<Integer>> requests = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				requests.add(() -> refresh(clientId, refreshToken).returnResult(byte[].class).getStatus().value());
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> status : pool.invokeAll(requests)) {
				statuses.add(status.get());
			}
			assertThat(statuses).filteredOn((status) -> status == 200).hasSize(1);
			assertThat(statuses).filteredOn((status) -> status == 401).hasSize(49);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void refreshWhenTokenOfAnotherClientThenNotLinkedToClient() {
		String owner = uniqueId("pw");
		String other = uniqueId("pw");
		registerClient(owner, GrantType.PASSWORD);
		registerClient(other, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		String refreshToken = (String) passwordGrant(owner, user).get("refresh_token");

		refresh(other, refreshToken).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request")
			.jsonPath("$.hint")
			.isEqualTo("Token is not linked to client");
	}

	/** Issue 13: refresh_token listed beside password, as Spring Authorization Server and Keycloak write it. */
	@Test
	void passwordWhenClientListsRefreshTokenThenRefreshTokenIssuedAndRefreshWorks() {
		String clientId = uniqueId("pw-rt");
		registerClient(clientId, GrantType.PASSWORD, GrantType.REFRESH_TOKEN);
		User user = registerUser(uniqueId("user"), true);

		String refreshToken = (String) passwordGrant(clientId, user).get("refresh_token");

		assertThat(refreshToken).matches("[0-9a-f]{96}");
		refresh(clientId, refreshToken).expectStatus().isOk().expectBody().jsonPath("$.refresh_token").isNotEmpty();
	}

	/**
	 * Issue 13: refresh tokens turned off for a client: none in the answer, and a refresh token it got before is
	 * refused as league 9 refuses a grant the client does not support ({@code unauthorized_client}, 400).
	 */
	@Test
	void passwordWhenClientTurnedRefreshTokensOffThenNoRefreshTokenAndRefreshIsUnauthorizedClient() {
		String clientId = uniqueId("pw-off");
		RegisteredClient on = registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		String earlier = (String) passwordGrant(clientId, user).get("refresh_token");
		this.clients.save(new RegisteredClient(on.id(), on.name(), on.secretHash(), true, on.grantTypes(), null,
				List.of(), Set.of(), ClientTokenSettings.defaults().withRefreshTokens(false))).block(Duration.ofSeconds(5));

		byte[] answer = postForm(form("grant_type", "password", "client_id", clientId, "client_secret",
				secretOf(clientId), "username", user.username(), "password", user.username() + "-password"))
			.expectStatus().isOk().expectBody().returnResult().getResponseBody();

		assertThat(new String(answer, StandardCharsets.UTF_8))
			.matches("\\{\"token_type\":\"Bearer\",\"expires_in\":36\\d\\d,\"access_token\":\"[^\"]+\"}");
		refresh(clientId, earlier).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error").isEqualTo("unauthorized_client")
			.jsonPath("$.hint").isEqualTo("The client does not use refresh tokens");
	}

	/** client_credentials issues no refresh token, refresh_token listed or not, and may not refresh. */
	@Test
	void clientCredentialsWhenRefreshTokenListedThenNoRefreshTokenAndRefreshIsUnauthorizedClient() {
		String clientId = uniqueId("cc-rt");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS, GrantType.REFRESH_TOKEN);

		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secretOf(clientId)))
			.expectStatus().isOk().expectBody().jsonPath("$.refresh_token").doesNotExist();
		refresh(clientId, "0".repeat(96)).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error").isEqualTo("unauthorized_client");
	}

	@Test
	void clientCredentialsWhenNoAssociatedUserThenSubjectIsClientId() throws Exception {
		String clientId = uniqueId("cc");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);

		byte[] response = this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.AUTHORIZATION, basic(clientId, secretOf(clientId)))
			.header(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
			.bodyValue("grant_type=client_credentials")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();

		assertThat(parse(response)).doesNotContainKey("refresh_token");
		assertThat(verifiedClaims((String) parse(response).get("access_token"))).containsEntry("sub", clientId);
		assertThat(this.authorizations.findByClientId(clientId).collectList().block()).as("every token is recorded")
			.hasSize(1)
			.allSatisfy((authorization) -> assertThat(authorization.grantType()).isEqualTo(GrantType.CLIENT_CREDENTIALS));
	}

	@Test
	void clientCredentialsWhenBodyClientIdAndBasicPasswordThenEachTakenOnItsOwn() {
		String clientId = uniqueId("cc");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);

		this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.AUTHORIZATION, basic("ignored-user", secretOf(clientId)))
			.header(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
			.bodyValue("grant_type=client_credentials&client_id=" + clientId)
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void clientCredentialsWhenMultipartThenIssued() {
		String clientId = uniqueId("cc");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);
		org.springframework.http.client.MultipartBodyBuilder multipart = new org.springframework.http.client.MultipartBodyBuilder();
		multipart.part("grant_type", "client_credentials");
		multipart.part("client_id", clientId);
		multipart.part("client_secret", secretOf(clientId));

		this.http.post()
			.uri("/Api/access_token")
			.body(org.springframework.web.reactive.function.BodyInserters.fromMultipartData(multipart.build()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.token_type")
			.isEqualTo("Bearer");
	}

	@Test
	void clientCredentialsWhenWrongSecretThenInvalidClientWithChallengeOnlyForAuthorizationHeader() {
		String clientId = uniqueId("cc");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);
		String invalidClient = "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\","
				+ "\"message\":\"Client authentication failed\"}";

		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", "wrong"))
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_TYPE, "application/json")
			.expectBody()
			.json(invalidClient, true);
		this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.AUTHORIZATION, basic(clientId, "wrong"))
			.header(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
			.bodyValue("grant_type=client_credentials")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"OAuth\"")
			.expectBody()
			.json(invalidClient, true);
	}

	@Test
	void tokenRequestWhenUnknownClientOrEmptyIdThenInvalidClientNot500() {
		postForm(form("grant_type", "client_credentials", "client_id", "no-such-client", "client_secret", "x"))
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
		postForm(form("grant_type", "password", "client_id", "", "client_secret", "x", "username", "a", "password", "b"))
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
	}

	@Test
	void tokenRequestWhenGrantNotAllowedForClientThenInvalidClient() {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);

		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secretOf(clientId)))
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
	}

	@Test
	void passwordWhenWrongPasswordThenInvalidGrantWithoutEchoingIt() {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		String expected = "{\"error\":\"invalid_grant\",\"error_description\":\"The user credentials were incorrect.\","
				+ "\"message\":\"The user credentials were incorrect.\"}";

		postForm(form("grant_type", "password", "client_id", clientId, "client_secret", secretOf(clientId), "username",
				user.username(), "password", "Secret-Typo-42"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json(expected, true);
		postForm(form("grant_type", "password", "client_id", clientId, "client_secret", secretOf(clientId), "username",
				"nobody-" + user.username(), "password", "x"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json(expected, true);
	}

	@Test
	void passwordWhenUserInactiveThenInvalidGrant() {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("inactive"), false);

		postForm(form("grant_type", "password", "client_id", clientId, "client_secret", secretOf(clientId), "username",
				user.username(), "password", user.username() + "-password"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant");
	}

	@Test
	void scopeWhenAllowedThenGrantedInClaimAndResponse() throws Exception {
		String clientId = uniqueId("cc");
		registerClient(clientId, Set.of(GrantType.CLIENT_CREDENTIALS), null, Set.of("accounts.read", "contacts.read"),
				null);

		byte[] response = postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret",
				secretOf(clientId), "scope", "accounts.read"))
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();

		assertThat(parse(response)).containsEntry("scope", "accounts.read");
		assertThat(verifiedClaims((String) parse(response).get("access_token"))).containsEntry("scopes",
				List.of("accounts.read"));
	}

	@Test
	void scopeWhenNotAllowedThenInvalidScopeNamingIt() {
		String clientId = uniqueId("cc");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);

		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secretOf(clientId),
				"scope", "accounts.read"))
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.json("{\"error\":\"invalid_scope\",\"error_description\":\"The requested scope is invalid, unknown, or malformed\","
					+ "\"hint\":\"Check the `accounts.read` scope\",\"message\":\"The requested scope is invalid, unknown, or malformed\"}",
					true);
	}

	@Test
	void lifetimeWhenClientSetsItsOwnThenHonoured() {
		String clientId = uniqueId("cc");
		registerClient(clientId, Set.of(GrantType.CLIENT_CREDENTIALS), null, Set.of(), Duration.ofMinutes(5));

		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secretOf(clientId)))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.expires_in")
			.value((Integer seconds) -> assertThat(seconds).isBetween(299, 300));
	}

	@Test
	void tokenEndpointWhenLongSuiteCrmPathThenSameEndpoint() {
		String clientId = uniqueId("cc");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);

		this.http.post()
			.uri("/Api/index.php/access_token")
			.header(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
			.bodyValue("grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secretOf(clientId))
			.exchange()
			.expectStatus()
			.isOk();
	}

	private Map<String, Object> passwordGrant(String clientId, User user) {
		byte[] body = postForm(form("grant_type", "password", "client_id", clientId, "client_secret", secretOf(clientId),
				"username", user.username(), "password", user.username() + "-password"))
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return parse(body);
	}

	private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec refresh(String clientId,
			String refreshToken) {
		return postForm(form("grant_type", "refresh_token", "client_id", clientId, "client_secret", secretOf(clientId),
				"refresh_token", refreshToken));
	}

}
