package dev.portcullis.proxy.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.Gateways;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.Replicas;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import dev.portcullis.support.TestPorts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Front gateway → back gateway → echo: the back gateway plays the CRM (it issues tokens in SuiteCRM's wire format at
 * {@code /Api/access_token} and its proxy refuses every token it did not issue), the front gateway holds a backend
 * credential at it ({@code crm}) and sends its callers' requests with the back gateway's token. Each gateway has its
 * own Redis namespace, so its own signing key: a caller's token from the front means nothing at the back.
 */
@RequiresRedis
class UpstreamClientCredentialsIntegrationTests {

	private static final String GATEWAY_CLIENT = "front-gateway";

	private static final String GATEWAY_SECRET = "front-gateway-secret";

	private static final String CALLER = "integration";

	private static final String CALLER_SECRET = "integration-secret";

	private static final String PASSWORD_CLIENT = "password-app";

	private static final String USERNAME = "someone";

	private static final String PASSWORD = "someone-password";

	private static final String BACK_NAMESPACE = RedisTestSupport.randomNamespace();

	private static final String FRONT_NAMESPACE = RedisTestSupport.randomNamespace();

	private static final String STOPPED_BACK_NAMESPACE = RedisTestSupport.randomNamespace();

	private static final Gateways gateways = new Gateways();

	private static EchoUpstream crmEcho;

	private static EchoUpstream unreachedEcho;

	private static EchoUpstream stoppedBackEcho;

	/** A second back gateway, which one test stops. */
	private static ConfigurableApplicationContext stoppedBack;

	private static ConfigurableApplicationContext back;

	private static ConfigurableApplicationContext front;

	private static WebTestClient frontClient;

	@BeforeAll
	static void startFrontAndBack() {
		crmEcho = new EchoUpstream();
		unreachedEcho = new EchoUpstream();
		stoppedBackEcho = new EchoUpstream();
		back = startBack(BACK_NAMESPACE, crmEcho);
		stoppedBack = startBack(STOPPED_BACK_NAMESPACE, stoppedBackEcho);
		front = startFront();
		frontClient = TestGateways.client(front);
	}

	/** A gateway playing the CRM in front of the echo, with the front gateway as its client. */
	private static ConfigurableApplicationContext startBack(String namespace, EchoUpstream echo) {
		return start(List.of("portcullis.redis.namespace=" + namespace, "portcullis.upstream.uri=" + echo.uri(),
				"portcullis.bootstrap.clients[0].id=" + GATEWAY_CLIENT, "portcullis.bootstrap.clients[0].name=Front gateway",
				"portcullis.bootstrap.clients[0].secret=" + GATEWAY_SECRET,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials"));
	}

	/**
	 * A front replica: the default route to the back gateway with credential {@code crm}, two broken ones, and one
	 * to the back gateway that a test stops.
	 */
	private static ConfigurableApplicationContext startFront() {
		String backUri = "http://127.0.0.1:" + TestGateways.port(back);
		String stoppedBackUri = "http://127.0.0.1:" + TestGateways.port(stoppedBack);
		String nobody = "http://127.0.0.1:" + TestPorts.free();
		return start(List.of("portcullis.redis.namespace=" + FRONT_NAMESPACE, "portcullis.upstream.uri=" + backUri,
				"portcullis.upstream.credentials.crm.token-uri=" + backUri + "/Api/access_token",
				"portcullis.upstream.credentials.crm.client-id=" + GATEWAY_CLIENT,
				"portcullis.upstream.credentials.crm.client-secret=" + GATEWAY_SECRET,
				"portcullis.proxy.upstream-credentials=crm",
				// the back gateway refuses this secret
				"portcullis.upstream.credentials.refused.token-uri=" + backUri + "/Api/access_token",
				"portcullis.upstream.credentials.refused.client-id=" + GATEWAY_CLIENT,
				"portcullis.upstream.credentials.refused.client-secret=wrong",
				"portcullis.upstream.credentials.refused.body-format=form",
				// nothing listens there
				"portcullis.upstream.credentials.down.token-uri=" + nobody + "/Api/access_token",
				"portcullis.upstream.credentials.down.client-id=" + GATEWAY_CLIENT,
				"portcullis.upstream.credentials.down.client-secret=" + GATEWAY_SECRET,
				"spring.cloud.gateway.server.webflux.routes[0].id=refused",
				"spring.cloud.gateway.server.webflux.routes[0].uri=" + backUri,
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/refused/**",
				"spring.cloud.gateway.server.webflux.routes[0].filters[0]=UpstreamClientCredentials=refused",
				"spring.cloud.gateway.server.webflux.routes[1].id=down",
				"spring.cloud.gateway.server.webflux.routes[1].uri=" + unreachedEcho.uri(),
				"spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/down/**",
				"spring.cloud.gateway.server.webflux.routes[1].filters[0]=UpstreamClientCredentials=down",
				"portcullis.upstream.credentials.stopped.token-uri=" + stoppedBackUri + "/Api/access_token",
				"portcullis.upstream.credentials.stopped.client-id=" + GATEWAY_CLIENT,
				"portcullis.upstream.credentials.stopped.client-secret=" + GATEWAY_SECRET,
				"spring.cloud.gateway.server.webflux.routes[2].id=stopped",
				"spring.cloud.gateway.server.webflux.routes[2].uri=" + stoppedBackUri,
				"spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/stopped/**",
				"spring.cloud.gateway.server.webflux.routes[2].filters[0]=StripPrefix=1",
				"spring.cloud.gateway.server.webflux.routes[2].filters[1]=UpstreamClientCredentials=stopped",
				"portcullis.bootstrap.clients[0].id=" + CALLER, "portcullis.bootstrap.clients[0].name=Integration",
				"portcullis.bootstrap.clients[0].secret=" + CALLER_SECRET,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[1].id=" + PASSWORD_CLIENT, "portcullis.bootstrap.clients[1].name=Password app",
				"portcullis.bootstrap.clients[1].secret=" + CALLER_SECRET,
				"portcullis.bootstrap.clients[1].grant-types=password",
				"portcullis.bootstrap.users[0].username=" + USERNAME, "portcullis.bootstrap.users[0].password=" + PASSWORD));
	}

	private static ConfigurableApplicationContext start(List<String> properties) {
		// the burst test puts three gateways, an echo and 1,500 connections on this JVM's cores at once: Redis's command
		// timeout is raised so that answers that wait for a thread are not read as a Redis outage (503)
		return gateways.start(Stream.concat(Stream.of("spring.data.redis.timeout=20s"), properties.stream()).toList());
	}

	@AfterAll
	static void stopAll() {
		try {
			gateways.close();
		}
		finally {
			crmEcho.close();
			unreachedEcho.close();
			stoppedBackEcho.close();
		}
	}

	/** Every test starts with no backend token kept, as at a first start. */
	@BeforeEach
	void forgetTheBackendToken() {
		try (RedisTestSupport.TestRedis redis = RedisTestSupport.connect()) {
			redis.template().delete(new RedisKeys(FRONT_NAMESPACE).backendToken("crm")).block(Duration.ofSeconds(10));
		}
	}

	@Test
	void callWhenCallerTokenCheckedThenBackendGetsTheBackGatewaysTokenAndNeverTheCallers() {
		String callerToken = TestGateways.clientCredentialsToken(front, CALLER, CALLER_SECRET);
		accountsAtBackOnly(callerToken).expectStatus().isUnauthorized();

		byte[] echoed = accounts(frontClient, callerToken).expectStatus().isOk().expectBody().returnResult()
			.getResponseBody();

		Map<String, Object> echo = TestGateways.parse(echoed);
		assertThat(new String(echoed)).as("the caller's token reaches neither gateway's backend").doesNotContain(callerToken);
		@SuppressWarnings("unchecked")
		Map<String, List<String>> headers = (Map<String, List<String>>) echo.get("headers");
		assertThat(headers.get("x-auth-client-id")).as("the back gateway let it through as its own client")
			.containsExactly(GATEWAY_CLIENT);
		assertThat(headers.get("authorization").get(0)).startsWith("Bearer ").isNotEqualTo("Bearer " + callerToken);
	}

	@Test
	void twoFrontReplicasWhenBothCalledThenOneBackendTokenServesBoth() {
		// two replicas that start now, like a deployment's: neither has a token of its own yet
		ConfigurableApplicationContext replicaA = startFront();
		ConfigurableApplicationContext replicaB = startFront();
		try {
			double issuedBefore = tokensIssuedAtBack();
			String callerToken = TestGateways.clientCredentialsToken(replicaA, CALLER, CALLER_SECRET);

			String atA = backendAuthorization(accounts(TestGateways.client(replicaA), callerToken));
			String atB = backendAuthorization(accounts(TestGateways.client(replicaB), callerToken));

			assertThat(atB).as("replica B uses the token replica A kept in Redis").isEqualTo(atA);
			assertThat(tokensIssuedAtBack() - issuedBefore).isEqualTo(1);
		}
		finally {
			gateways.stop(replicaB);
			gateways.stop(replicaA);
		}
	}

	@Test
	void fiveHundredConcurrentFirstCallsThenOneBackendTokenRequest() {
		ConfigurableApplicationContext fresh = startFront();
		double issuedBefore = tokensIssuedAtBack();
		String callerToken = TestGateways.clientCredentialsToken(fresh, CALLER, CALLER_SECRET);
		ConnectionProvider connections = ConnectionProvider.builder("burst").maxConnections(500)
			.pendingAcquireMaxCount(-1).build();
		try {
			WebClient burst = WebClient.builder()
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
				.baseUrl("http://127.0.0.1:" + TestGateways.port(fresh))
				.build();
			// the body of any other answer, so that a failure says what went wrong
			List<String> statuses = Flux.range(0, 500)
				.flatMap((i) -> burst.get().uri("/Api/V8/module/Accounts")
					.header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
					.exchangeToMono((response) -> response.bodyToMono(String.class)
						.defaultIfEmpty("")
						.map((body) -> response.statusCode().is2xxSuccessful() ? "200" : response.statusCode().value() + " " + body)), 500)
				.collectList()
				.block(Duration.ofSeconds(120));

			assertThat(statuses).hasSize(500).containsOnly("200");
			assertThat(tokensIssuedAtBack() - issuedBefore).as("token requests the back gateway answered").isEqualTo(1);
		}
		finally {
			connections.dispose();
			gateways.stop(fresh);
		}
	}

	@Test
	void backGatewayRevokesItsTokenThenNextCallObtainsANewOneAndSucceeds() {
		String callerToken = TestGateways.clientCredentialsToken(front, CALLER, CALLER_SECRET);
		String first = backendAuthorization(accounts(frontClient, callerToken));
		revokeAtBack(first.substring("Bearer ".length()));
		double issuedBefore = tokensIssuedAtBack();

		// a request with a body is not replayed: the 401 is passed on and the token dropped
		frontClient.post()
			.uri("/Api/V8/module")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
			.contentType(MediaType.valueOf("application/vnd.api+json"))
			.bodyValue("{\"data\":{\"type\":\"Accounts\"}}")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		String second = backendAuthorization(accounts(frontClient, callerToken));
		revokeAtBack(second.substring("Bearer ".length()));
		// a request without a body is sent once more with a new token
		String third = backendAuthorization(accounts(frontClient, callerToken));

		assertThat(second).isNotEqualTo(first);
		assertThat(third).isNotEqualTo(second);
		assertThat(tokensIssuedAtBack() - issuedBefore).isEqualTo(2);
	}

	@Test
	void backendTokenEndpointRefusesThenBadGatewayAndTheRequestIsNotSent() {
		String callerToken = TestGateways.clientCredentialsToken(front, CALLER, CALLER_SECRET);
		long backendRequests = crmEcho.requestCount();

		Map<String, Object> refused = TestGateways.parse(frontClient.get()
			.uri("/refused/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody()
			.returnResult()
			.getResponseBody());

		assertThat(refused).containsEntry("error", "upstream_credentials_unavailable")
			.containsKeys("error_description", "hint", "message");
		assertThat(crmEcho.requestCount()).isEqualTo(backendRequests);
	}

	@Test
	void backendDownThenBadGatewayAndTheCallersTokenReachesNothing() {
		String callerToken = TestGateways.clientCredentialsToken(front, CALLER, CALLER_SECRET);

		frontClient.get()
			.uri("/down/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("upstream_credentials_unavailable");

		assertThat(unreachedEcho.requestCount()).isZero();
	}

	@Test
	void backGatewayStoppedThenBadGatewayAndTheCallersTokenReachesNothing() {
		String callerToken = TestGateways.clientCredentialsToken(front, CALLER, CALLER_SECRET);
		frontClient.get()
			.uri("/stopped/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(stoppedBackEcho.requestCount()).isOne();

		gateways.stop(stoppedBack);

		// the front still holds the stopped gateway's token: the request is routed, and nothing answers
		byte[] answer = frontClient.get()
			.uri("/stopped/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("bad_gateway")
			.returnResult()
			.getResponseBody();
		assertThat(new String(answer)).doesNotContain(callerToken);
		assertThat(stoppedBackEcho.requestCount()).isOne();
	}

	@Test
	void passwordGrantCallerWhenUserTokensNotAllowedThenForbiddenAndNothingSent() {
		long backendRequests = crmEcho.requestCount();
		String userToken = (String) TestGateways.tokenResponse(frontClient, "grant_type=password&client_id="
				+ PASSWORD_CLIENT + "&client_secret=" + CALLER_SECRET + "&username=" + USERNAME + "&password=" + PASSWORD)
			.get("access_token");

		accounts(frontClient, userToken).expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("access_denied");
		assertThat(crmEcho.requestCount()).isEqualTo(backendRequests);
	}

	private static WebTestClient.ResponseSpec accounts(WebTestClient gateway, String token) {
		return Replicas.accounts(gateway, token);
	}

	private static WebTestClient.ResponseSpec accountsAtBackOnly(String token) {
		return accounts(TestGateways.client(back), token);
	}

	/** The Authorization header the echo behind the back gateway received, after a 200. */
	@SuppressWarnings("unchecked")
	private static String backendAuthorization(WebTestClient.ResponseSpec response) {
		Map<String, Object> echo = TestGateways
			.parse(response.expectStatus().isOk().expectBody().returnResult().getResponseBody());
		return ((Map<String, List<String>>) echo.get("headers")).get("authorization").get(0);
	}

	/** Ends the token at the back gateway (RFC 7009, as its client). */
	private static void revokeAtBack(String backendToken) {
		TestGateways.client(back)
			.post()
			.uri("/oauth2/revoke")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=" + backendToken + "&client_id=" + GATEWAY_CLIENT + "&client_secret=" + GATEWAY_SECRET)
			.exchange()
			.expectStatus()
			.isOk();
	}

	/** The back gateway's count of tokens issued to the front gateway's client: its token requests answered. */
	private static double tokensIssuedAtBack() {
		Counter issued = back.getBean(MeterRegistry.class)
			.find("portcullis.tokens.issued")
			.tag("client_id", GATEWAY_CLIENT)
			.counter();
		return (issued != null) ? issued.count() : 0;
	}

}
