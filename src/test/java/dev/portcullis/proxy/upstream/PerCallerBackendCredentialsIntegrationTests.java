package dev.portcullis.proxy.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.Gateways;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.Replicas;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import dev.portcullis.support.TestPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, per caller: front gateway → back gateway (playing the CRM) → echo, where the front holds two credentials
 * at the back, {@code crm} (the route's) and {@code sales}, one for another backend ({@code erp}), and its callers
 * name the one they act with. The back gateway's identity headers, which the echo records, say as which of its
 * clients each call arrived.
 */
@RequiresRedis
class PerCallerBackendCredentialsIntegrationTests {

	private static final String BACK_CRM_CLIENT = "front-as-crm";

	private static final String BACK_SALES_CLIENT = "front-as-sales";

	private static final String BACK_SECRET = "front-gateway-secret";

	private static final String SALES_CALLER = "sales-integration";

	private static final String DEFAULT_CALLER = "default-integration";

	private static final String ERP_CALLER = "erp-integration";

	private static final String MOVED_CALLER = "moved-integration";

	private static final String RETIRED_CALLER = "retired-integration";

	private static final String CALLER_SECRET = "integration-secret";

	private static final String ADMIN = "front-admin";

	private static final String ADMIN_PASSWORD = "front-admin-password";

	private static final String BACK_NAMESPACE = RedisTestSupport.randomNamespace();

	private static final String FRONT_NAMESPACE = RedisTestSupport.randomNamespace();

	private static final Gateways gateways = new Gateways();

	private static EchoUpstream crmEcho;

	private static ConfigurableApplicationContext back;

	private static ConfigurableApplicationContext front;

	@BeforeAll
	static void startFrontAndBack() {
		crmEcho = new EchoUpstream();
		back = start(List.of("portcullis.redis.namespace=" + BACK_NAMESPACE, "portcullis.upstream.uri=" + crmEcho.uri(),
				"portcullis.bootstrap.clients[0].id=" + BACK_CRM_CLIENT, "portcullis.bootstrap.clients[0].name=Front as CRM",
				"portcullis.bootstrap.clients[0].secret=" + BACK_SECRET,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[1].id=" + BACK_SALES_CLIENT,
				"portcullis.bootstrap.clients[1].name=Front as sales",
				"portcullis.bootstrap.clients[1].secret=" + BACK_SECRET,
				"portcullis.bootstrap.clients[1].grant-types=client_credentials"));
		// an earlier configuration had a credential 'retired', and a client that named it: both in Redis since
		String backUri = "http://127.0.0.1:" + TestGateways.port(back);
		ConfigurableApplicationContext before = start(Stream.concat(frontSettings().stream(), Stream.of(
				"portcullis.upstream.credentials.retired.token-uri=" + backUri + "/Api/access_token",
				"portcullis.upstream.credentials.retired.client-id=" + BACK_SALES_CLIENT,
				"portcullis.upstream.credentials.retired.client-secret=" + BACK_SECRET,
				"portcullis.bootstrap.clients[0].id=" + RETIRED_CALLER, "portcullis.bootstrap.clients[0].name=Retired",
				"portcullis.bootstrap.clients[0].secret=" + CALLER_SECRET,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[0].backend-credential=retired"))
			.toList());
		gateways.stop(before);
		front = start(Stream.concat(frontSettings().stream(), Stream.of(
				"portcullis.bootstrap.clients[0].id=" + SALES_CALLER, "portcullis.bootstrap.clients[0].name=Sales",
				"portcullis.bootstrap.clients[0].secret=" + CALLER_SECRET,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[0].backend-credential=sales",
				"portcullis.bootstrap.clients[1].id=" + DEFAULT_CALLER, "portcullis.bootstrap.clients[1].name=Default",
				"portcullis.bootstrap.clients[1].secret=" + CALLER_SECRET,
				"portcullis.bootstrap.clients[1].grant-types=client_credentials",
				"portcullis.bootstrap.clients[2].id=" + ERP_CALLER, "portcullis.bootstrap.clients[2].name=ERP",
				"portcullis.bootstrap.clients[2].secret=" + CALLER_SECRET,
				"portcullis.bootstrap.clients[2].grant-types=client_credentials",
				"portcullis.bootstrap.clients[2].backend-credential=erp",
				"portcullis.bootstrap.clients[3].id=" + MOVED_CALLER, "portcullis.bootstrap.clients[3].name=Moved",
				"portcullis.bootstrap.clients[3].secret=" + CALLER_SECRET,
				"portcullis.bootstrap.clients[3].grant-types=client_credentials",
				"portcullis.bootstrap.clients[3].backend-credential=sales",
				"portcullis.bootstrap.users[0].username=" + ADMIN, "portcullis.bootstrap.users[0].password=" + ADMIN_PASSWORD,
				"portcullis.bootstrap.users[0].admin=true"))
			.toList());
	}

	/** The front's route to the back with {@code crm}, the back's other client as {@code sales}, and {@code erp}. */
	private static List<String> frontSettings() {
		String backUri = "http://127.0.0.1:" + TestGateways.port(back);
		return List.of("portcullis.redis.namespace=" + FRONT_NAMESPACE, "portcullis.upstream.uri=" + backUri,
				"portcullis.upstream.credentials.crm.token-uri=" + backUri + "/Api/access_token",
				"portcullis.upstream.credentials.crm.client-id=" + BACK_CRM_CLIENT,
				"portcullis.upstream.credentials.crm.client-secret=" + BACK_SECRET,
				"portcullis.upstream.credentials.sales.token-uri=" + backUri + "/Api/access_token",
				"portcullis.upstream.credentials.sales.client-id=" + BACK_SALES_CLIENT,
				"portcullis.upstream.credentials.sales.client-secret=" + BACK_SECRET,
				// another backend, where nothing listens: a request sent with it would fail with 502
				"portcullis.upstream.credentials.erp.token-uri=http://127.0.0.1:" + TestPorts.free() + "/oauth/token",
				"portcullis.upstream.credentials.erp.client-id=" + BACK_SALES_CLIENT,
				"portcullis.upstream.credentials.erp.client-secret=" + BACK_SECRET,
				"portcullis.proxy.upstream-credentials=crm");
	}

	private static ConfigurableApplicationContext start(List<String> properties) {
		return gateways.start(properties);
	}

	@AfterAll
	static void stopAll() {
		try {
			gateways.close();
		}
		finally {
			crmEcho.close();
		}
	}

	@Test
	void callWhenTheCallersClientNamesACredentialThenTheBackendSeesThatCredentialsClient() {
		String token = TestGateways.clientCredentialsToken(front, SALES_CALLER, CALLER_SECRET);

		assertThat(backClientOf(accounts(token))).isEqualTo(BACK_SALES_CLIENT);
	}

	@Test
	void callWhenTheCallersClientNamesNoneThenTheBackendSeesTheRoutesCredentialsClient() {
		String token = TestGateways.clientCredentialsToken(front, DEFAULT_CALLER, CALLER_SECRET);

		assertThat(backClientOf(accounts(token))).isEqualTo(BACK_CRM_CLIENT);
	}

	@Test
	void callWhenTheCallersCredentialIsForAnotherBackendThenTheRoutesCredentialIsUsed() {
		String token = TestGateways.clientCredentialsToken(front, ERP_CALLER, CALLER_SECRET);

		assertThat(backClientOf(accounts(token))).as("never a token of another backend, nor an attempt to get one")
			.isEqualTo(BACK_CRM_CLIENT);
	}

	@Test
	void callWhenTheCallersCredentialIsNoLongerConfiguredThenBadGatewayAndNothingReachesTheBackend() {
		String token = TestGateways.clientCredentialsToken(front, RETIRED_CALLER, CALLER_SECRET);
		long echoedBefore = crmEcho.requestCount();

		accounts(token).expectStatus().isEqualTo(502).expectBody()
			.jsonPath("$.error").isEqualTo("upstream_credentials_unavailable")
			.jsonPath("$.error_description").value((String description) -> assertThat(description).contains("not configured"));

		assertThat(crmEcho.requestCount()).isEqualTo(echoedBefore);
	}

	@Test
	void credentialWhenChangedThroughTheAdminApiThenTheOldTokenEndsAndANewOneActsWithTheNewCredential() {
		String old = TestGateways.clientCredentialsToken(front, MOVED_CALLER, CALLER_SECRET);
		assertThat(backClientOf(accounts(old))).isEqualTo(BACK_SALES_CLIENT);

		TestGateways.client(front).patch().uri("/admin/api/clients/" + MOVED_CALLER)
			.header(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder()
				.encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("backendCredential", ""))
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.backendCredential").doesNotExist();

		accounts(old).expectStatus().isUnauthorized();
		String renewed = TestGateways.clientCredentialsToken(front, MOVED_CALLER, CALLER_SECRET);
		assertThat(backClientOf(accounts(renewed))).isEqualTo(BACK_CRM_CLIENT);
	}

	private static WebTestClient.ResponseSpec accounts(String token) {
		return Replicas.accounts(TestGateways.client(front), token);
	}

	/** The back gateway's client the call arrived as, from its identity header at the echo, after a 200. */
	@SuppressWarnings("unchecked")
	private static String backClientOf(WebTestClient.ResponseSpec response) {
		Map<String, Object> echo = TestGateways
			.parse(response.expectStatus().isOk().expectBody().returnResult().getResponseBody());
		List<String> clientIds = ((Map<String, List<String>>) echo.get("headers")).get("x-auth-client-id");
		assertThat(clientIds).hasSize(1);
		return clientIds.get(0);
	}

}
