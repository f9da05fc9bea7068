package dev.portcullis.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import dev.portcullis.support.Replicas;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.portcullis.support.Replicas.accounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /oauth2/introspect} (RFC 7662) as a real client library sends it and reads the answer (Nimbus OAuth 2.0
 * SDK's {@link TokenIntrospectionRequest} and {@link TokenIntrospectionResponse}), at one of two replicas sharing one
 * Redis: a resource server allowed to introspect learns the claims of active tokens of other clients, and
 * {@code active:false} for everything else, including a token revoked at the other replica; a client without the
 * setting learns nothing.
 */
@RequiresRedis
class IntrospectionEndpointIntegrationTests {

	private static final String CLIENT = "issued-client";

	private static final String SECRET = "issued-client-secret";

	private static final String RESOURCE_SERVER = "resource-server";

	private static final String RESOURCE_SERVER_SECRET = "resource-server-secret";

	private static final String OTHER_CLIENT = "curious-client";

	private static final String OTHER_SECRET = "curious-client-secret";

	private static final String SHORT_LIVED_CLIENT = "short-lived-client";

	private static final String USERNAME = "introspected-user";

	private static final String PASSWORD = "introspected-password";

	private static final ClientSecretBasic RESOURCE_SERVER_BASIC = new ClientSecretBasic(new ClientID(RESOURCE_SERVER),
			new Secret(RESOURCE_SERVER_SECRET));

	private static Replicas replicas;

	private static ConfigurableApplicationContext gatewayA;

	private static ConfigurableApplicationContext gatewayB;

	private static WebTestClient a;

	private static WebTestClient b;

	@BeforeAll
	static void startTwoGateways() {
		replicas = new Replicas();
		List<String> properties = List.of("portcullis.bootstrap.users[0].username=" + USERNAME,
				"portcullis.bootstrap.users[0].password=" + PASSWORD,
				// tokens expire when they say, so that an expired one is quick to get
				"portcullis.proxy.clock-skew=PT0S",
				"portcullis.bootstrap.clients[0].id=" + CLIENT, "portcullis.bootstrap.clients[0].name=Issued client",
				"portcullis.bootstrap.clients[0].secret=" + SECRET, "portcullis.bootstrap.clients[0].grant-types=password",
				"portcullis.bootstrap.clients[0].scopes=crm.read,crm.write",
				"portcullis.bootstrap.clients[1].id=" + RESOURCE_SERVER, "portcullis.bootstrap.clients[1].name=Resource server",
				"portcullis.bootstrap.clients[1].secret=" + RESOURCE_SERVER_SECRET,
				"portcullis.bootstrap.clients[1].grant-types=client_credentials",
				"portcullis.bootstrap.clients[1].introspection=true",
				"portcullis.bootstrap.clients[2].id=" + OTHER_CLIENT, "portcullis.bootstrap.clients[2].name=Curious client",
				"portcullis.bootstrap.clients[2].secret=" + OTHER_SECRET, "portcullis.bootstrap.clients[2].grant-types=password",
				"portcullis.bootstrap.clients[3].id=" + SHORT_LIVED_CLIENT, "portcullis.bootstrap.clients[3].name=Short-lived",
				"portcullis.bootstrap.clients[3].secret=" + SECRET, "portcullis.bootstrap.clients[3].grant-types=password",
				"portcullis.bootstrap.clients[3].access-token-ttl=PT1S", "portcullis.bootstrap.clients[3].refresh-token-ttl=PT1S");
		gatewayA = replicas.start(properties);
		gatewayB = replicas.start(properties);
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
	void anotherClientsActiveAccessTokenThenItsStandardClaimsUncached() throws Exception {
		Tokens tokens = passwordGrant(CLIENT, SECRET, "crm.read crm.write");
		JWTClaimsSet issued = SignedJWT.parse(tokens.access()).getJWTClaimsSet();

		HTTPResponse http = introspect(gatewayA, RESOURCE_SERVER_BASIC, new BearerAccessToken(tokens.access()));

		assertThat(http.getStatusCode()).isEqualTo(200);
		assertThat(http.getHeaderValue("Content-Type")).startsWith("application/json");
		assertThat(http.getHeaderValue("Cache-Control")).isEqualTo("no-store");
		TokenIntrospectionSuccessResponse answer = TokenIntrospectionResponse.parse(http).toSuccessResponse();
		assertThat(answer.isActive()).isTrue();
		assertThat(answer.getScope()).isEqualTo(Scope.parse("crm.read crm.write"));
		assertThat(answer.getClientID()).isEqualTo(new ClientID(CLIENT));
		assertThat(answer.getUsername()).isEqualTo(USERNAME);
		assertThat(answer.getTokenType()).isEqualTo(AccessTokenType.BEARER);
		assertThat(answer.getExpirationTime()).isEqualTo(issued.getExpirationTime());
		assertThat(answer.getIssueTime()).isEqualTo(issued.getIssueTime());
		assertThat(answer.getNotBeforeTime()).isEqualTo(issued.getNotBeforeTime());
		assertThat(answer.getSubject().getValue()).isEqualTo(issued.getSubject());
		assertThat(answer.getAudience()).containsExactly(new Audience(CLIENT));
		assertThat(answer.getIssuer().getValue()).isEqualTo(issued.getIssuer());
		assertThat(answer.getJWTID().getValue()).isEqualTo(issued.getJWTID());
	}

	@Test
	void activeRefreshTokenThenItsGrantsClaimsAtTheOtherReplica() throws Exception {
		Tokens tokens = passwordGrant(CLIENT, SECRET, "crm.read");

		TokenIntrospectionSuccessResponse answer = TokenIntrospectionResponse
			.parse(introspect(gatewayB, new ClientSecretPost(new ClientID(RESOURCE_SERVER), new Secret(RESOURCE_SERVER_SECRET)),
					new RefreshToken(tokens.refresh())))
			.toSuccessResponse();

		assertThat(answer.isActive()).isTrue();
		assertThat(answer.getClientID()).isEqualTo(new ClientID(CLIENT));
		assertThat(answer.getUsername()).isEqualTo(USERNAME);
		assertThat(answer.getScope()).isEqualTo(Scope.parse("crm.read"));
		assertThat(answer.getExpirationTime()).isInTheFuture();
		assertThat(answer.getTokenType()).as("a refresh token has no RFC 6749 §7.1 type").isNull();
	}

	@Test
	void revokedAtTheOtherReplicaThenInactiveAtOnceAndTheRotatedRefreshTokenToo() throws Exception {
		Tokens tokens = passwordGrant(CLIENT, SECRET, "crm.read");
		assertThat(active(gatewayA, new BearerAccessToken(tokens.access()))).isTrue();

		HTTPResponse revoked = new TokenRevocationRequest(uri(gatewayB, "/oauth2/revoke"),
				new ClientSecretBasic(new ClientID(CLIENT), new Secret(SECRET)), new BearerAccessToken(tokens.access()))
			.toHTTPRequest()
			.send();
		assertThat(revoked.getStatusCode()).isEqualTo(200);

		long started = System.nanoTime();
		while (active(gatewayA, new BearerAccessToken(tokens.access()))) {
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("inactive within " + Replicas.PROPAGATION_LIMIT)
				.isLessThan(Replicas.PROPAGATION_LIMIT);
			Thread.sleep(50);
		}
		System.out.println("access token revoked at B: inactive at A's introspection after "
				+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
		accounts(a, tokens.access()).expectStatus().isUnauthorized();
		assertThat(active(gatewayA, new RefreshToken(tokens.refresh()))).as("the grant ended with it").isFalse();

		Tokens rotated = passwordGrant(CLIENT, SECRET, "crm.read");
		refresh(a, CLIENT, SECRET, rotated.refresh()).expectStatus().isOk();
		assertThat(active(gatewayB, new RefreshToken(rotated.refresh()))).as("rotated away").isFalse();
	}

	@Test
	void expiredAccessAndRefreshTokensThenInactive() throws Exception {
		Tokens tokens = passwordGrant(SHORT_LIVED_CLIENT, SECRET, null);
		Date expiry = SignedJWT.parse(tokens.access()).getJWTClaimsSet().getExpirationTime();

		// the token's exp is a whole second: wait until that second has passed
		Thread.sleep(Math.max(0, expiry.getTime() + 1_100 - System.currentTimeMillis()));

		assertThat(introspect(gatewayA, RESOURCE_SERVER_BASIC, new BearerAccessToken(tokens.access())).getBody().strip())
			.isEqualTo("{\"active\":false}");
		assertThat(introspect(gatewayA, RESOURCE_SERVER_BASIC, new RefreshToken(tokens.refresh())).getBody().strip())
			.isEqualTo("{\"active\":false}");
		accounts(a, tokens.access()).expectStatus().isUnauthorized();
	}

	@Test
	void unknownForgedOrOverlongTokensThenActiveFalseAndNothingElse() throws Exception {
		Tokens victim = passwordGrant(CLIENT, SECRET, "crm.read");
		// the victim's claims and the gateway's key id, signed with a key that is not the gateway's
		SignedJWT real = SignedJWT.parse(victim.access());
		RSAKey attackersKey = new RSAKeyGenerator(2048).generate();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(real.getHeader().getKeyID()).build(),
				real.getJWTClaimsSet());
		forged.sign(new RSASSASigner(attackersKey));
		String overlong = victim.access() + "x".repeat(9000);

		for (String token : List.of("not-a-token", forged.serialize(), overlong, victim.refresh() + "0",
				victim.refresh().substring(0, 32) + "0".repeat(64))) {
			HTTPResponse http = introspect(gatewayA, RESOURCE_SERVER_BASIC, new BearerAccessToken(token));
			assertThat(http.getStatusCode()).isEqualTo(200);
			// Nimbus's HTTPResponse ends the body it read with a line break
			assertThat(http.getBody().strip()).as("RFC 7662 §2.2: nothing about an inactive token").isEqualTo("{\"active\":false}");
			assertThat(TokenIntrospectionResponse.parse(http).toSuccessResponse().isActive()).isFalse();
		}
		assertThat(active(gatewayA, new BearerAccessToken(victim.access()))).as("the real one still active").isTrue();
	}

	/** The attack: a client that is not a resource server tries to learn about tokens it found. */
	@Test
	void clientWithoutTheSettingThen403AndNothingAboutTheToken() throws Exception {
		Tokens victim = passwordGrant(CLIENT, SECRET, "crm.read");
		ClientSecretBasic curious = new ClientSecretBasic(new ClientID(OTHER_CLIENT), new Secret(OTHER_SECRET));

		HTTPResponse live = introspect(gatewayA, curious, new BearerAccessToken(victim.access()));
		HTTPResponse unknown = introspect(gatewayA, curious, new BearerAccessToken("not-a-token"));
		HTTPResponse own = introspect(gatewayA, new ClientSecretBasic(new ClientID(CLIENT), new Secret(SECRET)),
				new RefreshToken(victim.refresh()));

		for (HTTPResponse refused : List.of(live, unknown, own)) {
			assertThat(refused.getStatusCode()).isEqualTo(403);
			assertThat(refused.getBodyAsJSONObject()).containsEntry("error", "unauthorized_client")
				.containsKeys("error_description", "message")
				.doesNotContainKey("active");
			assertThat(TokenIntrospectionResponse.parse(refused).indicatesSuccess()).isFalse();
		}
		assertThat(live.getBody()).as("the same answer whatever the token").isEqualTo(unknown.getBody());
	}

	@Test
	void wrongSecretOrUnknownClientThen401InvalidClient() throws Exception {
		Tokens tokens = passwordGrant(CLIENT, SECRET, "crm.read");

		HTTPResponse wrongSecret = introspect(gatewayA,
				new ClientSecretBasic(new ClientID(RESOURCE_SERVER), new Secret("wrong-secret")),
				new BearerAccessToken(tokens.access()));
		HTTPResponse unknownClient = introspect(gatewayA,
				new ClientSecretPost(new ClientID("no-such-client"), new Secret("whatever-secret")),
				new BearerAccessToken(tokens.access()));

		assertThat(wrongSecret.getStatusCode()).isEqualTo(401);
		assertThat(wrongSecret.getHeaderValue("WWW-Authenticate")).isEqualTo("Basic realm=\"OAuth\"");
		assertThat(wrongSecret.getBodyAsJSONObject()).containsEntry("error", "invalid_client").doesNotContainKey("active");
		assertThat(unknownClient.getStatusCode()).isEqualTo(401);
		assertThat(unknownClient.getBodyAsJSONObject()).containsEntry("error", "invalid_client");
	}

	/** The same guessing limits as the token endpoint, counted together: the endpoint is no second oracle. */
	@Test
	void secretsGuessedAtTheTokenEndpointThenTheIntrospectionEndpointRefusesTheNextGuess() {
		WebTestClient attacker = TestGateways.clientFrom(TestGateways.port(gatewayA), TestGateways.randomLoopbackAddress());
		for (int i = 0; i < 5; i++) {
			attacker.post()
				.uri("/Api/access_token")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.bodyValue("grant_type=client_credentials&client_id=" + RESOURCE_SERVER + "&client_secret=guess-" + i)
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}

		attacker.post()
			.uri("/oauth2/introspect")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=x&client_id=" + RESOURCE_SERVER + "&client_secret=guess-at-introspect")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("too_many_attempts");
	}

	@Test
	void malformedRequestsThenLeaguesEnvelopeNeverA500() {
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((RESOURCE_SERVER + ":" + RESOURCE_SERVER_SECRET).getBytes(StandardCharsets.UTF_8));
		a.post()
			.uri("/oauth2/introspect")
			.header(HttpHeaders.AUTHORIZATION, basic)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token_type_hint=access_token")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error").isEqualTo("invalid_request")
			.jsonPath("$.hint").isEqualTo("Check the `token` parameter");
		a.post()
			.uri("/oauth2/introspect")
			.header(HttpHeaders.AUTHORIZATION, basic)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"token\":\"x\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error").isEqualTo("invalid_request");
		a.post()
			.uri("/oauth2/introspect")
			.header(HttpHeaders.AUTHORIZATION, basic)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=%E0%A4%A")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error").isEqualTo("invalid_request");
		// RFC 7662 §2.1: a hint the server does not know changes nothing, the token is searched for anyway
		a.post()
			.uri("/oauth2/introspect")
			.header(HttpHeaders.AUTHORIZATION, basic)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=x&token_type_hint=unheard_of")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"active\":false}", JsonCompareMode.STRICT);
		a.get()
			.uri("/oauth2/introspect")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader()
			.valueEquals(HttpHeaders.ALLOW, "POST");
	}

	private static boolean active(ConfigurableApplicationContext gateway, Token token) throws Exception {
		return TokenIntrospectionResponse.parse(introspect(gateway, RESOURCE_SERVER_BASIC, token))
			.toSuccessResponse()
			.isActive();
	}

	private static HTTPResponse introspect(ConfigurableApplicationContext gateway, ClientAuthentication client,
			Token token) throws Exception {
		return new TokenIntrospectionRequest(uri(gateway, "/oauth2/introspect"), client, token).toHTTPRequest().send();
	}

	private static URI uri(ConfigurableApplicationContext gateway, String path) {
		return URI.create("http://127.0.0.1:" + TestGateways.port(gateway) + path);
	}

	private static Tokens passwordGrant(String clientId, String secret, String scope) {
		Map<String, Object> body = TestGateways.parse(a.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=password&client_id=" + clientId + "&client_secret=" + secret + "&username=" + USERNAME
					+ "&password=" + PASSWORD + ((scope != null) ? "&scope=" + scope.replace(' ', '+') : ""))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		return new Tokens((String) body.get("access_token"), (String) body.get("refresh_token"));
	}

	private static WebTestClient.ResponseSpec refresh(WebTestClient gateway, String clientId, String secret,
			String refreshToken) {
		return gateway.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=refresh_token&client_id=" + clientId + "&client_secret=" + secret + "&refresh_token="
					+ refreshToken)
			.exchange();
	}

	private record Tokens(String access, String refresh) {
	}

}
