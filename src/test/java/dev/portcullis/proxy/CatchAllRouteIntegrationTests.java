package dev.portcullis.proxy;

import java.util.List;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.PageSession;
import dev.portcullis.support.RawHttp;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: the gateway's routes are asked first for proxied requests ({@link SelectiveRoutePredicateHandlerMapping}),
 * so a catch-all route ({@code Path=/**}, a common way to put a whole backend behind the gateway) must still never
 * shadow one of Portcullis's own endpoints: each answers itself and the backend hears nothing of it.
 */
class CatchAllRouteIntegrationTests {

	private static EchoUpstream upstream;

	private static ConfigurableApplicationContext gateway;

	private static WebTestClient http;

	@BeforeAll
	static void start() {
		upstream = new EchoUpstream();
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.secrets.bcrypt-strength=4", "portcullis.bootstrap.clients[0].id=catch-all",
				"portcullis.bootstrap.clients[0].name=Catch-all", "portcullis.bootstrap.clients[0].secret=catch-all-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[0].introspection=true",
				"portcullis.bootstrap.users[0].username=catch-all-admin",
				"portcullis.bootstrap.users[0].password=catch-all-admin-password", "portcullis.bootstrap.users[0].admin=true",
				"spring.cloud.gateway.server.webflux.routes[0].id=everything",
				"spring.cloud.gateway.server.webflux.routes[0].uri=" + upstream.uri(),
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**"));
		http = TestGateways.client(gateway);
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
	}

	@Test
	void ownEndpointWhenCatchAllRouteThenAnsweredByPortcullisNotForwarded() {
		String token = token();
		long forwarded = upstream.requestCount();

		for (String path : List.of("/Api/access_token", "/Api/index.php/access_token")) {
			tokenRequest(path).expectStatus().isOk().expectBody().jsonPath("$.access_token").exists();
		}
		http.get().uri("/Api/access_token").exchange().expectStatus().isEqualTo(405);
		http.post()
			.uri("/oauth2/introspect")
			.headers((headers) -> headers.setBasicAuth("catch-all", "catch-all-secret"))
			.body(BodyInserters.fromFormData("token", token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.active")
			.isEqualTo(true);
		http.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk().expectBody().jsonPath("$.keys").isArray();
		http.get()
			.uri("/.well-known/oauth-authorization-server")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.token_endpoint")
			.exists();
		http.get().uri("/login").exchange().expectStatus().isOk().expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML);
		// the static resources are asked after the routes: a catch-all route took the style sheet until issue 16
		http.get().uri("/assets/portcullis.css").exchange().expectStatus().isOk().expectHeader()
			.contentTypeCompatibleWith(MediaType.valueOf("text/css"));
		for (String page : List.of("/admin", "/admin/clients", "/Api/authorize?response_type=code&client_id=catch-all")) {
			http.get().uri(page).exchange().expectStatus().isFound().expectHeader().value(HttpHeaders.LOCATION,
					(location) -> assertThat(location).endsWith("/login"));
		}
		http.get().uri("/admin/api/clients").exchange().expectStatus().isUnauthorized().expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Portcullis admin\"");
		http.post().uri("/oauth2/revoke")
			.headers((headers) -> headers.setBasicAuth("catch-all", "catch-all-secret"))
			.body(BodyInserters.fromFormData("token", token))
			.exchange()
			.expectStatus()
			.isOk();
		http.post()
			.uri("/Api/V8/logout")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.meta.message")
			.isEqualTo("You have been successfully logged out");

		assertThat(upstream.requestCount()).isEqualTo(forwarded);
	}

	@Test
	void proxiedPathWhenCatchAllRouteThenCheckedAndForwarded() {
		String token = token();
		long forwarded = upstream.requestCount();

		http.get().uri("/anything/at/all").exchange().expectStatus().isUnauthorized();
		http.get()
			.uri("/anything/at/all")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.path")
			.isEqualTo("/anything/at/all")
			.jsonPath("$.headers['x-auth-client-id'][0]")
			.isEqualTo("catch-all");
		// a method Portcullis's logout does not answer reaches the route, as before
		http.get()
			.uri("/Api/V8/logout")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.path")
			.isEqualTo("/Api/V8/logout");

		assertThat(upstream.requestCount()).isEqualTo(forwarded + 2);
	}

	@Test
	void pathToAnOwnEndpointSpelledAnotherWayWhenCatchAllRouteThenRejectedNotForwarded() {
		String token = token();
		long forwarded = upstream.requestCount();
		int port = TestGateways.port(gateway);

		for (String target : List.of("/x/../Api/access_token", "/x/%2e%2e/Api/access_token", "/Api;x=1/access_token",
				"//Api/access_token", "/Api%2Faccess_token")) {
			RawHttp.Response response = RawHttp.exchange(port, RawHttp.head("GET " + target + " HTTP/1.1",
					"Host: 127.0.0.1", "Connection: close", "Authorization: Bearer " + token));
			assertThat(response.status()).as(target).isEqualTo(400);
		}
		assertThat(upstream.requestCount()).isEqualTo(forwarded);
	}

	/**
	 * The attack: a signed-in administrator's browser sends the gateway's session cookie with every request to its
	 * host, and so with every call a page of the same origin makes to a proxied API. Whoever runs or has broken into
	 * the backend must not receive the session (and so the console) with it: only the backend's own cookies are
	 * forwarded.
	 */
	@Test
	void forwardedRequestWhenBrowserSendsTheGatewaysCookiesThenTheBackendReceivesOnlyItsOwn() {
		PageSession admin = PageSession.signIn(http, "catch-all-admin", "catch-all-admin-password");
		String token = token();
		long forwarded = upstream.requestCount();

		http.get()
			.uri("/anything/at/all")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.header(HttpHeaders.COOKIE, "SESSION=" + admin.sessionId() + "; PHPSESSID=crm-session; XSRF-TOKEN=login-form")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.headers.cookie")
			.isEqualTo(List.of("PHPSESSID=crm-session"));
		http.get()
			.uri("/anything/at/all")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.header(HttpHeaders.COOKIE, "SESSION=" + admin.sessionId())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.headers.cookie")
			.doesNotExist();

		assertThat(upstream.requestCount()).isEqualTo(forwarded + 2);
		// the session itself still works at the gateway
		assertThat(admin.get("/admin").getStatus().value()).isEqualTo(200);
	}

	/**
	 * The attack: with a catch-all route, a signed-in administrator's request to an admin path that no page answers
	 * (a link an attacker sends them) reached the backend, authorised by the session alone: no token was checked and
	 * the backend was told no caller. An admin API call to a path no endpoint answers took the administrator's Basic
	 * credentials to the backend. The login and logout pages, the admin pages and the admin API are the gateway's
	 * own: what they do not answer is 404, in any method.
	 */
	@Test
	void browserOnlyPathNoHandlerAnswersWhenSignedInThenNotFoundAndNotForwarded() {
		PageSession admin = PageSession.signIn(http, "catch-all-admin", "catch-all-admin-password");
		String cookie = "SESSION=" + admin.sessionId();
		long forwarded = upstream.requestCount();

		for (String path : List.of("/admin/not-a-page", "/admin/clients/x/y/z")) {
			http.get().uri(path).header(HttpHeaders.COOKIE, cookie).exchange().expectStatus().isNotFound();
		}
		// the admin API's Basic credentials would have gone to the backend with it
		http.get()
			.uri("/admin/api/not-an-endpoint")
			.headers((headers) -> headers.setBasicAuth("catch-all-admin", "catch-all-admin-password"))
			.exchange()
			.expectStatus()
			.isNotFound();
		http.put().uri("/login").exchange().expectStatus().value((status) -> assertThat(status).isIn(403, 404, 405));
		http.delete().uri("/logout").header(HttpHeaders.COOKIE, cookie).exchange().expectStatus()
			.value((status) -> assertThat(status).isIn(403, 404, 405));

		assertThat(upstream.requestCount()).isEqualTo(forwarded);
	}

	/**
	 * A client's credentials sent to an endpoint that takes them, in a method it does not answer, must not reach the
	 * backend either: the client secret would go with them.
	 */
	@Test
	void clientAuthenticatingEndpointInAnotherMethodWhenCatchAllRouteThenNotForwarded() {
		long forwarded = upstream.requestCount();

		for (String path : List.of("/Api/access_token", "/Api/index.php/access_token", "/oauth2/revoke",
				"/oauth2/introspect")) {
			for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
				http.method(method)
					.uri(path)
					.headers((headers) -> headers.setBasicAuth("catch-all", "catch-all-secret"))
					.exchange()
					.expectStatus()
					.value((status) -> assertThat(status).as("%s %s", method, path).isIn(404, 405));
			}
		}

		assertThat(upstream.requestCount()).isEqualTo(forwarded);
	}

	private static WebTestClient.ResponseSpec tokenRequest(String path) {
		return http.post()
			.uri(path)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials")
				.with("client_id", "catch-all")
				.with("client_secret", "catch-all-secret"))
			.exchange();
	}

	private static String token() {
		return TestGateways.clientCredentialsToken(gateway, "catch-all", "catch-all-secret");
	}

}
