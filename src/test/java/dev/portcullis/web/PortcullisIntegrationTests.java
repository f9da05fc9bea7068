package dev.portcullis.web;

import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.ClientTokenSettings;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of tests that run the whole gateway on a real port against a real Redis. Every subclass shares one
 * Spring context (same configuration), and each test registers its own clients and users with fresh ids, so tests
 * do not see each other's data.
 */
@RequiresRedis
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "portcullis.secrets.bcrypt-strength=4", "portcullis.store=redis",
				"spring.cloud.gateway.server.webflux.httpclient.response-timeout=2s",
				// a route that needs a scope and strips the Authorization header, for the proxy tests
				"spring.cloud.gateway.server.webflux.routes[0].id=scoped",
				"spring.cloud.gateway.server.webflux.routes[0].uri=${test.upstream.uri}",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/Api/scoped/**",
				"spring.cloud.gateway.server.webflux.routes[0].filters[0]=RequireScopes=accounts.read",
				"spring.cloud.gateway.server.webflux.routes[0].filters[1]=RemoveRequestHeader=Authorization",
				// a route to a port where nothing listens
				"spring.cloud.gateway.server.webflux.routes[1].id=down",
				"spring.cloud.gateway.server.webflux.routes[1].uri=http://127.0.0.1:${test.closed.port}",
				"spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/Api/down/**" })
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class PortcullisIntegrationTests {

	protected static final String NAMESPACE = RedisTestSupport.randomNamespace();

	/** The CRM backend every test context proxies to; it lives as long as the test JVM. */
	protected static final EchoUpstream UPSTREAM = new EchoUpstream();

	@DynamicPropertySource
	static void redisAndUpstream(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", RedisTestSupport::redisUrl);
		registry.add("portcullis.redis.namespace", () -> NAMESPACE);
		registry.add("portcullis.upstream.uri", UPSTREAM::uri);
		registry.add("test.upstream.uri", UPSTREAM::uri);
		registry.add("test.closed.port", PortcullisIntegrationTests::closedPort);
	}

	private static int closedPort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Autowired
	protected WebTestClient http;

	/** Health and metrics are served on a port of their own (management.server.port, here a free one). */
	@LocalManagementPort
	private int managementPort;

	@Autowired
	protected ClientStore clients;

	@Autowired
	protected UserStore users;

	@Autowired
	protected PasswordHasher hasher;

	@Autowired
	protected JsonMapper json;

	/** A client of the management port: /actuator/health, /actuator/prometheus. */
	protected WebTestClient management() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.responseTimeout(Duration.ofSeconds(30))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
			.build();
	}

	protected static String uniqueId(String prefix) {
		return prefix + "-" + UUID.randomUUID();
	}

	/** A confidential client with the given grants and a secret equal to its id + "-secret". */
	protected RegisteredClient registerClient(String id, Set<GrantType> grants, @Nullable String associatedUserId,
			Set<String> scopes, @Nullable Duration accessTtl) {
		RegisteredClient client = new RegisteredClient(id, "Test client " + id, this.hasher.hash(secretOf(id)), true,
				EnumSet.copyOf(grants), associatedUserId, List.of(), scopes,
				ClientTokenSettings.defaults().withAccessTokenTtl(accessTtl));
		return this.clients.save(client).block(Duration.ofSeconds(10));
	}

	protected RegisteredClient registerClient(String id, GrantType... grants) {
		return registerClient(id, Set.of(grants), null, Set.of(), null);
	}

	protected static String secretOf(String clientId) {
		return clientId + "-secret";
	}

	/** An active user whose password is its username + "-password". */
	protected User registerUser(String username, boolean active) {
		User user = new User(uniqueId("user"), username, this.hasher.hash(username + "-password"), active, false);
		return this.users.save(user).block(Duration.ofSeconds(10));
	}

	protected WebTestClient.ResponseSpec postForm(MultiValueMap<String, String> form) {
		return this.http.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

	protected WebTestClient.ResponseSpec postJson(String mediaType, String body) {
		return this.http.post()
			.uri("/Api/access_token")
			.header("Content-Type", mediaType)
			.bodyValue(body)
			.exchange();
	}

	protected static MultiValueMap<String, String> form(String... namesAndValues) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			form.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return form;
	}

	/** A valid access token for a fresh client_credentials client with these scopes (and sub = the client id). */
	protected String clientCredentialsToken(String... scopes) {
		String clientId = uniqueId("cc");
		registerClient(clientId, Set.of(GrantType.CLIENT_CREDENTIALS), null, Set.of(scopes), null);
		MultiValueMap<String, String> request = form("grant_type", "client_credentials", "client_id", clientId,
				"client_secret", secretOf(clientId));
		if (scopes.length > 0) {
			request.add("scope", String.join(" ", scopes));
		}
		return (String) parse(postForm(request).expectStatus().isOk().expectBody().returnResult().getResponseBody())
			.get("access_token");
	}

	protected Map<String, Object> parse(byte[] body) {
		return this.json.readValue(body, new TypeReference<Map<String, Object>>() {
		});
	}

	protected static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
	}

	/** The token's claims, after checking its signature against the published JWK Set. */
	protected Map<String, Object> verifiedClaims(String accessToken) throws Exception {
		String jwks = this.http.get()
			.uri("/.well-known/jwks.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Cache-Control", "public, max-age=300")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		SignedJWT jwt = SignedJWT.parse(accessToken);
		RSAKey key = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(key).as("the token's kid is published").isNotNull();
		assertThat(jwt.verify(new RSASSAVerifier(key))).as("signature verifies with the published key").isTrue();
		return jwt.getJWTClaimsSet().toJSONObject();
	}

}
