package dev.portcullis.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.support.Replicas;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.RsaKeys;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.portcullis.support.Replicas.accounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing-key rotation on two replicas sharing one Redis, with short times (JWK Set max-age 1 s, clients' cache 2 s:
 * a next key may sign 3 s after it is published), driven through the admin API at one replica or the other: tokens
 * issued before, during and after a rotation work at both replicas until they expire; the next key is in both
 * replicas' JWK Sets before any token carries its kid; a key retired now ends its tokens at both replicas within the
 * propagation limit; a backend that verifies with Nimbus's remote JWK Set never fails across a rotation.
 */
@RequiresRedis
class SigningKeyRotationIntegrationTests {

	private static final String CLIENT = "rotation-client";

	private static final String SECRET = "rotation-client-secret";

	private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(12);

	/** A replica that did not change the keys uses the change within this (announced; polled every second). */
	private static final Duration KEY_PROPAGATION = Replicas.PROPAGATION_LIMIT;

	private static final String ADMIN = basic("rotation-admin", "rotation-admin-password");

	private static Replicas replicas;

	private static ConfigurableApplicationContext gatewayA;

	private static WebTestClient a;

	private static WebTestClient b;

	@BeforeAll
	static void startTwoGateways() {
		replicas = new Replicas();
		List<String> properties = List.of("portcullis.signing.jwks-max-age=1s",
				"portcullis.signing.rotation.client-cache-time=2s", "portcullis.signing.refresh-interval=1s",
				"portcullis.bootstrap.users[0].username=rotation-admin",
				"portcullis.bootstrap.users[0].password=rotation-admin-password", "portcullis.bootstrap.users[0].admin=true",
				"portcullis.bootstrap.users[1].username=rotation-user",
				"portcullis.bootstrap.users[1].password=rotation-user-password",
				"portcullis.bootstrap.clients[0].id=" + CLIENT, "portcullis.bootstrap.clients[0].name=Rotation client",
				"portcullis.bootstrap.clients[0].secret=" + SECRET,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[0].access-token-ttl=" + TOKEN_LIFETIME.toSeconds() + "s");
		gatewayA = replicas.start(properties);
		ConfigurableApplicationContext gatewayB = replicas.start(properties);
		a = TestGateways.client(gatewayA);
		b = TestGateways.client(gatewayB);
	}

	@AfterAll
	static void stopGateways() {
		replicas.close();
	}

	@Test
	void rotationWhenTokensIssuedBeforeDuringAndAfterThenAllWorkAtBothReplicasUntilTheyExpire() throws Exception {
		String before = token(a);
		String oldKid = kid(before);

		Map<String, Object> next = createNext(a);
		String nextKid = (String) next.get("kid");
		assertThat(next).containsEntry("state", "next").containsKey("promotableAt");
		awaitWithin(KEY_PROPAGATION, () -> jwksKids(b).contains(nextKid), "the next key in B's JWK Set");
		assertThat(jwksKids(a)).contains(oldKid, nextKid);
		String during = token(b);
		assertThat(kid(during)).as("the next key signs nothing before its promotion").isEqualTo(oldKid);

		// promoting before caches can know the key: refused
		EntityExchangeResult<byte[]> early = promote(b, nextKid);
		assertThat(early.getStatus().value()).isEqualTo(409);
		assertThat(TestGateways.parse(early.getResponseBody())).containsEntry("error", "conflict")
			.extractingByKey("error_description")
			.asString()
			.contains("cannot be promoted before");

		sleepUntil(Instant.parse((String) next.get("promotableAt")));
		EntityExchangeResult<byte[]> promoted = promote(b, nextKid);
		assertThat(promoted.getStatus().value()).isEqualTo(200);
		awaitWithin(KEY_PROPAGATION, () -> kid(token(a)).equals(nextKid), "A signing with the promoted key");
		String after = token(a);

		for (String token : List.of(before, during, after)) {
			accounts(a, token).expectStatus().isOk();
			accounts(b, token).expectStatus().isOk();
		}
		assertThat(jwksKids(b)).as("the retired key stays published").contains(oldKid, nextKid);

		sleepUntil(Instant.ofEpochSecond(SignedJWT.parse(during).getJWTClaimsSet().getExpirationTime().getTime() / 1000)
			.plusSeconds(1));
		for (WebTestClient replica : List.of(a, b)) {
			accounts(replica, before).expectStatus().isUnauthorized();
			accounts(replica, during).expectStatus().isUnauthorized();
		}
	}

	@Test
	void retireNowWhenTokenVerifiedAndRememberedAtBothReplicasThenRefusedAtBothWithinThePropagationLimit()
			throws Exception {
		String token = token(a);
		String kid = kid(token);
		accounts(a, token).expectStatus().isOk();
		accounts(b, token).expectStatus().isOk();

		EntityExchangeResult<byte[]> retired = a.post()
			.uri("/admin/api/signing-keys/{kid}/retire", kid)
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		assertThat(new String(retired.getResponseBody(), StandardCharsets.UTF_8)).doesNotContain("\"" + kid + "\"");

		Duration atB = refusedWithin(b, token);
		Duration atA = refusedWithin(a, token);
		assertThat(atA).isLessThanOrEqualTo(KEY_PROPAGATION);
		assertThat(atB).isLessThanOrEqualTo(KEY_PROPAGATION);
		assertThat(jwksKids(a)).doesNotContain(kid);
		String replacement = token(b);
		assertThat(kid(replacement)).isNotEqualTo(kid);
		accounts(a, replacement).expectStatus().isOk();
	}

	/**
	 * A backend with Nimbus's remote JWK Set as {@code JWKSourceBuilder} builds it by default, its times scaled down as
	 * the gateway's are (cache 5 min → 2 s, its refresh timeout 15 s → 100 ms, refresh-ahead 30 s → 200 ms, rate limit 30 s →
	 * 200 ms): tokens from both replicas, before, during and
	 * after a rotation, all verify.
	 */
	@Test
	void backendVerifyingWithNimbusRemoteJwkSetWhenKeysRotateThenNeverFails() throws Exception {
		URI jwks = URI.create("http://127.0.0.1:" + TestGateways.port(gatewayA) + "/.well-known/jwks.json");
		JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(jwks.toURL())
			.cache(2_000, 100)
			.refreshAheadCache(200, false)
			.rateLimited(200)
			.build();
		DefaultJWTProcessor<SecurityContext> backend = new DefaultJWTProcessor<>();
		backend.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, source));
		List<String> kids = new ArrayList<>();
		Instant promotableAt = null;
		String nextKid = null;
		boolean promoted = false;
		Instant end = null;
		int verified = 0;
		while (end == null || Instant.now().isBefore(end)) {
			WebTestClient replica = (verified % 2 == 0) ? a : b;
			String token = token(replica);
			JWTClaimsSet claims = backend.process(token, null);
			assertThat(claims.getSubject()).isEqualTo(CLIENT);
			verified++;
			if (!kids.contains(kid(token))) {
				kids.add(kid(token));
			}
			if (verified == 5) {
				Map<String, Object> next = createNext(a);
				nextKid = (String) next.get("kid");
				promotableAt = Instant.parse((String) next.get("promotableAt"));
			}
			if (!promoted && promotableAt != null && !Instant.now().isBefore(promotableAt)) {
				assertThat(promote(b, nextKid).getStatus().value()).isEqualTo(200);
				promoted = true;
				end = Instant.now().plusSeconds(3);
			}
			Thread.sleep(100);
		}
		assertThat(kids).as("tokens of both keys were verified").hasSize(2).endsWith(nextKid);
	}

	/** Attack: a token naming the published next key's kid, signed before its promotion with a key of the attacker's. */
	@Test
	void proxyWhenTokenNamesTheNextKeyButIsSignedWithAnotherKeyThenRefusedAtBothReplicas() throws Exception {
		String nextKid = (String) createNext(b).get("kid");
		long now = Instant.now().getEpochSecond();
		JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(nextKid).build(),
				new com.nimbusds.jose.Payload("{\"aud\":\"" + CLIENT + "\",\"jti\":\""
						+ TokenIds.newJti(TokenIds.newAuthorizationId()) + "\",\"iat\":" + now + ",\"nbf\":" + now
						+ ",\"exp\":" + (now + 60) + ",\"sub\":\"" + CLIENT + "\",\"scopes\":[],\"iss\":\"portcullis\"}"));
		forged.sign(new RSASSASigner(RsaKeys.generate()));
		try {
			for (WebTestClient replica : List.of(a, b)) {
				accounts(replica, forged.serialize()).expectStatus().isUnauthorized();
			}
		}
		finally {
			// leave no next key to the other tests
			b.post().uri("/admin/api/signing-keys/{kid}/retire", nextKid).header(HttpHeaders.AUTHORIZATION, ADMIN)
				.contentType(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk();
		}
	}

	@Test
	void adminApiWhenNotAnAdministratorThenRefusedAndNothingChanged() {
		String user = basic("rotation-user", "rotation-user-password");
		long version = version(a);

		a.get().uri("/admin/api/signing-keys").header(HttpHeaders.AUTHORIZATION, user).exchange()
			.expectStatus().isUnauthorized();
		a.post().uri("/admin/api/signing-keys").header(HttpHeaders.AUTHORIZATION, user)
			.contentType(MediaType.APPLICATION_JSON).exchange()
			.expectStatus().isUnauthorized();
		a.post().uri("/admin/api/signing-keys").contentType(MediaType.APPLICATION_JSON).exchange().expectStatus().isUnauthorized();
		a.post().uri("/admin/api/signing-keys/{kid}/retire", kid(token(a))).header(HttpHeaders.AUTHORIZATION, user)
			.contentType(MediaType.APPLICATION_JSON).exchange().expectStatus().isUnauthorized();

		assertThat(version(a)).isEqualTo(version);
	}

	@Test
	void adminApiWhenUnknownKidThenNotFound() {
		a.post().uri("/admin/api/signing-keys/no-such-kid/retire").header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON).exchange()
			.expectStatus().isNotFound();
		a.post().uri("/admin/api/signing-keys/no-such-kid/promote").header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON).exchange()
			.expectStatus().isNotFound();
	}

	private static long version(WebTestClient replica) {
		byte[] body = replica.get().uri("/admin/api/signing-keys").header(HttpHeaders.AUTHORIZATION, ADMIN).exchange()
			.expectStatus().isOk().expectBody().returnResult().getResponseBody();
		return ((Number) TestGateways.parse(body).get("version")).longValue();
	}

	private static Map<String, Object> createNext(WebTestClient replica) {
		byte[] body = replica.post()
			.uri("/admin/api/signing-keys")
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return TestGateways.parse(body);
	}

	private static EntityExchangeResult<byte[]> promote(WebTestClient replica, String kid) {
		return replica.post()
			.uri("/admin/api/signing-keys/{kid}/promote", kid)
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectBody()
			.returnResult();
	}

	/** Polls the replica with the token until its proxy refuses it as not verified; fails past the limit. */
	private static Duration refusedWithin(WebTestClient replica, String token) throws InterruptedException {
		long started = System.nanoTime();
		while (true) {
			EntityExchangeResult<byte[]> response = accounts(replica, token).expectBody().returnResult();
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			if (response.getStatus().value() == 401) {
				assertThat(TestGateways.parse(response.getResponseBody())).containsEntry("error", "access_denied");
				return elapsed;
			}
			assertThat(response.getStatus().value()).isEqualTo(200);
			assertThat(elapsed).as("refused within " + KEY_PROPAGATION).isLessThan(KEY_PROPAGATION);
			Thread.sleep(50);
		}
	}

	private static String token(WebTestClient replica) {
		byte[] body = replica.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=" + SECRET)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return (String) TestGateways.parse(body).get("access_token");
	}

	private static List<String> jwksKids(WebTestClient replica) {
		String body = replica.get()
			.uri("/.well-known/jwks.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=1")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		try {
			return JWKSet.parse(body).getKeys().stream().map((key) -> key.getKeyID()).toList();
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	private static String kid(String token) {
		try {
			return JWSObject.parse(token).getHeader().getKeyID();
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	private static void awaitWithin(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as(what + " within " + limit).isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	private static void sleepUntil(Instant instant) throws InterruptedException {
		long millis = Duration.between(Instant.now(), instant).toMillis();
		if (millis > 0) {
			Thread.sleep(millis + 50);
		}
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
