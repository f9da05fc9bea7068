package dev.portcullis.web;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.portcullis.fixtures.JdkEd25519;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.support.Replicas;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.portcullis.support.Replicas.accounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: EdDSA (Ed25519) chosen per client, on two replicas sharing one Redis. A client set to EdDSA gets tokens
 * whose header names the OKP key of the JWK Set, which verifies them (checked with the JDK's own Ed25519: Nimbus's
 * needs Tink); both replicas' proxies let them through; the Ed25519 key rotates through the admin API like the RSA one;
 * a client left at the default gets RS256 tokens exactly as before; the alg-confusion attacks are refused at both
 * proxies.
 */
@RequiresRedis
class EdDsaSigningIntegrationTests {

	private static final String ADMIN = "Basic " + Base64.getEncoder()
		.encodeToString("eddsa-admin:eddsa-admin-password".getBytes(StandardCharsets.UTF_8));

	private static Replicas replicas;

	private static ConfigurableApplicationContext gatewayA;

	private static WebTestClient a;

	private static WebTestClient b;

	@BeforeAll
	static void startTwoGateways() {
		replicas = new Replicas();
		List<String> properties = List.of("portcullis.signing.jwks-max-age=1s",
				"portcullis.signing.rotation.client-cache-time=1s", "portcullis.signing.refresh-interval=1s",
				"portcullis.bootstrap.users[0].username=eddsa-admin",
				"portcullis.bootstrap.users[0].password=eddsa-admin-password", "portcullis.bootstrap.users[0].admin=true",
				"portcullis.bootstrap.clients[0].id=rs-client", "portcullis.bootstrap.clients[0].name=RS256 client",
				"portcullis.bootstrap.clients[0].secret=rs-client-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[1].id=ed-client", "portcullis.bootstrap.clients[1].name=EdDSA client",
				"portcullis.bootstrap.clients[1].secret=ed-client-secret",
				"portcullis.bootstrap.clients[1].grant-types=client_credentials",
				"portcullis.bootstrap.clients[1].signing-algorithm=EdDSA",
				"portcullis.bootstrap.clients[2].id=switch-client", "portcullis.bootstrap.clients[2].name=Switching client",
				"portcullis.bootstrap.clients[2].secret=switch-client-secret",
				"portcullis.bootstrap.clients[2].grant-types=client_credentials");
		gatewayA = replicas.start(properties);
		a = TestGateways.client(gatewayA);
		b = TestGateways.client(replicas.start(properties));
	}

	@AfterAll
	static void stopGateways() {
		replicas.close();
	}

	@Test
	void clientCredentialsWhenClientSetToEdDsaThenItsTokenNamesTheOkpKeyVerifiesWithTheJwkSetAndPassesBothReplicas()
			throws Exception {
		String token = token(a, "ed-client", "ed-client-secret");

		JWSObject jws = JWSObject.parse(token);
		assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		JWK published = jwks(b).getKeyByKeyId(jws.getHeader().getKeyID());
		assertThat(published).isInstanceOf(OctetKeyPair.class);
		assertThat(((OctetKeyPair) published).getCurve()).isEqualTo(Curve.Ed25519);
		assertThat(published.getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		assertThat(published.isPrivate()).isFalse();
		assertThat(JdkEd25519.verifies((OctetKeyPair) published, token)).isTrue();
		accounts(a, token).expectStatus().isOk();
		accounts(b, token).expectStatus().isOk();
	}

	@Test
	void clientCredentialsWhenClientKeepsTheDefaultThenRs256AsBeforeVerifiedByNimbusWithTheJwkSet() throws Exception {
		String token = token(b, "rs-client", "rs-client-secret");

		JWSObject jws = JWSObject.parse(token);
		assertThat(Base64URL.from(token.substring(0, token.indexOf('.'))).decodeToString())
			.isEqualTo("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"" + jws.getHeader().getKeyID() + "\"}");
		RSAKey published = (RSAKey) jwks(a).getKeyByKeyId(jws.getHeader().getKeyID());
		assertThat(jws.verify(new RSASSAVerifier(published))).isTrue();
		accounts(a, token).expectStatus().isOk();
		accounts(b, token).expectStatus().isOk();
	}

	@Test
	void rotationWhenEd25519KeyPromotedThroughTheApiThenNewEdDsaTokensCarryItAndEveryTokenPassesBothReplicas()
			throws Exception {
		String before = token(a, "ed-client", "ed-client-secret");
		String rsKid = kid(token(a, "rs-client", "rs-client-secret"));

		Map<String, Object> next = TestGateways.parse(a.post()
			.uri("/admin/api/signing-keys?algorithm=EdDSA")
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody());
		String nextKid = (String) next.get("kid");
		a.post().uri("/admin/api/signing-keys?algorithm=HS256").header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON).exchange()
			.expectStatus().isBadRequest().expectBody().jsonPath("$.fields.algorithm").exists();
		assertThat(next).containsEntry("algorithm", "EdDSA").containsEntry("state", "next");
		sleepUntil(Instant.parse((String) next.get("promotableAt")));
		b.post()
			.uri("/admin/api/signing-keys/{kid}/promote", nextKid)
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk();
		long deadline = System.nanoTime() + Replicas.PROPAGATION_LIMIT.multipliedBy(3).toNanos();
		while (!kid(token(a, "ed-client", "ed-client-secret")).equals(nextKid)) {
			assertThat(System.nanoTime()).as("A signs EdDSA with the promoted key").isLessThan(deadline);
			Thread.sleep(50);
		}
		String after = token(a, "ed-client", "ed-client-secret");

		for (String token : List.of(before, after)) {
			accounts(a, token).expectStatus().isOk();
			accounts(b, token).expectStatus().isOk();
		}
		assertThat(kid(token(b, "rs-client", "rs-client-secret"))).as("the RS256 key is not rotated").isEqualTo(rsKid);
		assertThat(jwks(b).getKeys()).extracting(JWK::getKeyID).contains(kid(before), nextKid, rsKid);
	}

	@Test
	void proxyWhenAlgorithmConfusionThenRefusedAtBothReplicas() throws Exception {
		CurrentSigningKeys keys = gatewayA.getBean(CurrentSigningKeys.class);
		String edToken = token(a, "ed-client", "ed-client-secret");
		String payload = edToken.split("\\.")[1];
		RSAKey rsa = keys.current().set().active().get().privateKey().toRSAKey();
		OctetKeyPair ed = keys.current().set().active(JWSAlgorithm.EdDSA).get().privateKey().toOctetKeyPair();

		String edDsaOnRsaKid = JdkEd25519.sign(ed,
				"{\"typ\":\"JWT\",\"alg\":\"EdDSA\",\"kid\":\"" + rsa.getKeyID() + "\"}", payload);
		JWSObject rs256OnOkpKid = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ed.getKeyID()).build(),
				new Payload(Base64URL.from(payload)));
		rs256OnOkpKid.sign(new RSASSASigner(rsa));
		String none = Base64URL.encode("{\"typ\":\"JWT\",\"alg\":\"none\",\"kid\":\"" + ed.getKeyID() + "\"}") + "."
				+ payload + ".";
		JWSObject hs256 = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(),
				new Payload(Base64URL.from(payload)));
		hs256.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));

		for (String forged : List.of(edDsaOnRsaKid, rs256OnOkpKid.serialize(), none, hs256.serialize())) {
			for (WebTestClient replica : List.of(a, b)) {
				accounts(replica, forged).expectStatus().isUnauthorized();
			}
		}
		accounts(b, edToken).expectStatus().isOk();
	}

	@Test
	void adminApiWhenSigningAlgorithmChangedThenTheClientsNextTokenUsesItAndAnotherAlgorithmIsRefused() throws Exception {
		a.patch().uri("/admin/api/clients/switch-client").header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("signingAlgorithm", "HS256")).exchange()
			.expectStatus().isBadRequest().expectBody().jsonPath("$.fields.signingAlgorithm").exists();
		assertThat(JWSObject.parse(token(a, "switch-client", "switch-client-secret")).getHeader().getAlgorithm())
			.isEqualTo(JWSAlgorithm.RS256);

		a.patch().uri("/admin/api/clients/switch-client").header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("signingAlgorithm", "EdDSA")).exchange()
			.expectStatus().isOk().expectBody().jsonPath("$.signingAlgorithm").isEqualTo("EdDSA");

		String token = token(b, "switch-client", "switch-client-secret");
		assertThat(JWSObject.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		accounts(a, token).expectStatus().isOk();
	}

	private static String token(WebTestClient replica, String client, String secret) {
		return TestGateways.clientCredentialsToken(replica, client, secret);
	}

	private static String kid(String token) throws ParseException {
		return JWSObject.parse(token).getHeader().getKeyID();
	}

	private static JWKSet jwks(WebTestClient replica) throws ParseException {
		return JWKSet.parse(replica.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody());
	}

	private static void sleepUntil(Instant when) throws InterruptedException {
		Duration wait = Duration.between(Instant.now(), when);
		if (!wait.isNegative()) {
			Thread.sleep(wait.toMillis() + 50);
		}
	}

}
