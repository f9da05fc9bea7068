package dev.portcullis.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
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
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.portcullis.support.Replicas.accounts;
import static dev.portcullis.support.Replicas.refusedWithin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /oauth2/revoke} (RFC 7009) as a real client library sends it (Nimbus OAuth 2.0 SDK's
 * {@link TokenRevocationRequest}, with {@code token_type_hint}), at one of two replicas sharing one Redis: what a
 * client ends there is refused by the other replica's proxy within a second, and nothing a client does there ends
 * another client's tokens.
 */
@RequiresRedis
class RevocationEndpointIntegrationTests {

	private static final String CLIENT = "revoking-client";

	private static final String SECRET = "revoking-client-secret";

	private static final String OTHER_CLIENT = "other-client";

	private static final String OTHER_SECRET = "other-client-secret";

	private static final String USERNAME = "revoking-user";

	private static final String PASSWORD = "revoking-password";

	private static Replicas replicas;

	private static ConfigurableApplicationContext gatewayA;

	private static ConfigurableApplicationContext gatewayB;

	private static WebTestClient a;

	private static WebTestClient b;

	@BeforeAll
	static void startTwoGateways() {
		replicas = new Replicas();
		List<String> properties = List.of("portcullis.bootstrap.users[0].username=" + USERNAME,
				"portcullis.bootstrap.users[0].password=" + PASSWORD, "portcullis.bootstrap.clients[0].id=" + CLIENT,
				"portcullis.bootstrap.clients[0].name=Revoking client", "portcullis.bootstrap.clients[0].secret=" + SECRET,
				"portcullis.bootstrap.clients[0].grant-types=password", "portcullis.bootstrap.clients[1].id=" + OTHER_CLIENT,
				"portcullis.bootstrap.clients[1].name=Other client", "portcullis.bootstrap.clients[1].secret=" + OTHER_SECRET,
				"portcullis.bootstrap.clients[1].grant-types=password");
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
	void refreshTokenRevokedWithBasicThenTheGrantEndsAtBothReplicas() throws Exception {
		Tokens tokens = passwordGrant(CLIENT, SECRET);
		accounts(b, tokens.access()).expectStatus().isOk();

		HTTPResponse response = new TokenRevocationRequest(revocationUri(gatewayA),
				new ClientSecretBasic(new ClientID(CLIENT), new Secret(SECRET)), new RefreshToken(tokens.refresh()))
			.toHTTPRequest()
			.send();

		assertThat(response.getStatusCode()).isEqualTo(200);
		assertThat(response.getBody()).as("RFC 7009 §2.2: the content of the body is ignored").isNullOrEmpty();
		System.out.println("refresh token revoked at A: its access token refused at B after "
				+ refusedWithin(b, tokens.access()).toMillis() + " ms");
		refresh(b, CLIENT, SECRET, tokens.refresh()).expectStatus().isUnauthorized();
	}

	@Test
	void accessTokenRevokedWithPostThenRefusedAtBothReplicasAndItsRefreshTokenEnds() throws Exception {
		Tokens tokens = passwordGrant(CLIENT, SECRET);
		accounts(b, tokens.access()).expectStatus().isOk();

		HTTPResponse response = revoke(new ClientSecretPost(new ClientID(CLIENT), new Secret(SECRET)),
				new BearerAccessToken(tokens.access()));

		assertThat(response.getStatusCode()).isEqualTo(200);
		System.out.println("access token revoked at A: refused at B after " + refusedWithin(b, tokens.access()).toMillis()
				+ " ms");
		accounts(a, tokens.access()).expectStatus().isUnauthorized();
		// as logout does: the grant ends, so signing out works whichever token a library revokes
		refresh(a, CLIENT, SECRET, tokens.refresh()).expectStatus().isUnauthorized();
	}

	/** The attack: a client that learnt another client's tokens, real or forged, cannot end them. */
	@Test
	void anotherClientsTokensWhenPresentedThenAnswered200AndTheyKeepWorking() throws Exception {
		Tokens victim = passwordGrant(CLIENT, SECRET);
		ClientSecretBasic attacker = new ClientSecretBasic(new ClientID(OTHER_CLIENT), new Secret(OTHER_SECRET));

		assertThat(revoke(attacker, new RefreshToken(victim.refresh())).getStatusCode()).isEqualTo(200);
		assertThat(revoke(attacker, new BearerAccessToken(victim.access())).getStatusCode()).isEqualTo(200);
		// the victim's jti in a token the attacker signed itself, under the gateway's key id, for its own client
		SignedJWT real = SignedJWT.parse(victim.access());
		RSAKey attackersKey = new RSAKeyGenerator(2048).generate();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(real.getHeader().getKeyID()).build(),
				new JWTClaimsSet.Builder(real.getJWTClaimsSet()).audience(CLIENT).expirationTime(new Date(
						System.currentTimeMillis() + 600_000)).build());
		forged.sign(new RSASSASigner(attackersKey));
		assertThat(revoke(new ClientSecretPost(new ClientID(CLIENT), new Secret(SECRET)),
				new BearerAccessToken(forged.serialize())).getStatusCode()).as("a forged token is no token").isEqualTo(200);
		assertThat(revoke(attacker, new BearerAccessToken("not-a-token")).getStatusCode()).isEqualTo(200);

		accounts(a, victim.access()).expectStatus().isOk();
		accounts(b, victim.access()).expectStatus().isOk();
		refresh(a, CLIENT, SECRET, victim.refresh()).expectStatus().isOk();
	}

	@Test
	void wrongSecretThenInvalidClientWithTheChallengeAndNothingEnds() throws Exception {
		Tokens tokens = passwordGrant(CLIENT, SECRET);

		HTTPResponse response = revoke(new ClientSecretBasic(new ClientID(CLIENT), new Secret("wrong-secret")),
				new RefreshToken(tokens.refresh()));

		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(response.getHeaderValue("WWW-Authenticate")).isEqualTo("Basic realm=\"OAuth\"");
		assertThat(response.getBodyAsJSONObject()).containsEntry("error", "invalid_client")
			.containsKeys("error_description", "message");
		accounts(a, tokens.access()).expectStatus().isOk();
	}

	/** The same guessing limits as the token endpoint, counted together: the endpoint is no second oracle. */
	@Test
	void secretsGuessedAtTheTokenEndpointThenTheRevocationEndpointRefusesTheNextGuess() {
		WebTestClient attacker = TestGateways.clientFrom(TestGateways.port(gatewayA), TestGateways.randomLoopbackAddress());
		for (int i = 0; i < 5; i++) {
			attacker.post()
				.uri("/Api/access_token")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.bodyValue("grant_type=password&client_id=" + OTHER_CLIENT + "&client_secret=guess-" + i
						+ "&username=" + USERNAME + "&password=" + PASSWORD)
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}

		attacker.post()
			.uri("/oauth2/revoke")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=x&client_id=" + OTHER_CLIENT + "&client_secret=guess-at-revoke")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("too_many_attempts");
	}

	@Test
	void malformedRequestsThenLeaguesEnvelopeNeverA500() {
		String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
		a.post()
			.uri("/oauth2/revoke")
			.header(HttpHeaders.AUTHORIZATION, basic)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token_type_hint=refresh_token")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error").isEqualTo("invalid_request")
			.jsonPath("$.hint").isEqualTo("Check the `token` parameter");
		a.post()
			.uri("/oauth2/revoke")
			.header(HttpHeaders.AUTHORIZATION, basic)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=a&token=b")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.hint").isEqualTo("Check the `token` parameter");
		a.post()
			.uri("/oauth2/revoke")
			.header(HttpHeaders.AUTHORIZATION, basic)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"token\":\"x\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error").isEqualTo("invalid_request");
		a.post()
			.uri("/oauth2/revoke")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=x")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.hint").isEqualTo("Check the `client_id` parameter");
		a.get()
			.uri("/oauth2/revoke")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader()
			.valueEquals(HttpHeaders.ALLOW, "POST");
	}

	private static HTTPResponse revoke(com.nimbusds.oauth2.sdk.auth.ClientAuthentication client, Token token)
			throws Exception {
		return new TokenRevocationRequest(revocationUri(gatewayA), client, token).toHTTPRequest().send();
	}

	private static URI revocationUri(ConfigurableApplicationContext gateway) {
		return URI.create("http://127.0.0.1:" + TestGateways.port(gateway) + "/oauth2/revoke");
	}

	private static Tokens passwordGrant(String clientId, String secret) {
		Map<String, Object> body = TestGateways.parse(a.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=password&client_id=" + clientId + "&client_secret=" + secret + "&username=" + USERNAME
					+ "&password=" + PASSWORD)
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
