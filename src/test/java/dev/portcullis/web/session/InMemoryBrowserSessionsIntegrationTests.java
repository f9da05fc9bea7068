package dev.portcullis.web.session;

import java.util.List;
import java.util.Map;

import dev.portcullis.support.PageSession;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.util.UriComponentsBuilder;

import static dev.portcullis.web.session.BrowserSessionsIntegrationTests.assertPageCookie;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser sessions in memory mode (issue 12): they stay in WebFlux's in-memory store (Spring Session is not used),
 * and anonymous page views make none, so the store's limit (here 20, Spring's default is 10,000) can no longer be
 * filled by anyone who can send requests: with the limit reached, a cookieless {@code GET /Api/authorize} answered
 * 500 {@code Max sessions limit reached}. Also where the gateway believes a trusted proxy that the request came over
 * TLS, and marks the page cookies {@code Secure}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InMemoryBrowserSessionsIntegrationTests {

	private static final int MAX_SESSIONS = 20;

	private static final String CALLBACK = "http://127.0.0.1:9/callback";

	private ConfigurableApplicationContext gateway;

	private WebTestClient http;

	@BeforeAll
	void start() {
		this.gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.secrets.bcrypt-strength=4", "server.reactive.session.max-sessions=" + MAX_SESSIONS,
				// the test's connections come from 127.0.0.1: a trusted proxy here
				"portcullis.trusted-proxies=127.0.0.1",
				"portcullis.bootstrap.users[0].username=rosa", "portcullis.bootstrap.users[0].password=rosa-password",
				"portcullis.bootstrap.clients[0].id=web", "portcullis.bootstrap.clients[0].name=Web app",
				"portcullis.bootstrap.clients[0].secret=web-secret",
				"portcullis.bootstrap.clients[0].grant-types=authorization_code",
				"portcullis.bootstrap.clients[0].redirect-uris=" + CALLBACK,
				"portcullis.bootstrap.first-admin.password=first-admin-password"));
		this.http = TestGateways.client(this.gateway);
	}

	@AfterAll
	void stop() {
		if (this.gateway != null) {
			this.gateway.close();
		}
	}

	@Test
	void anonymousPageViewsWhenFarMoreThanTheStoreHoldsThenNoSessionAndLoginsStillWork() {
		InMemoryWebSessionStore store = sessionStore();
		int before = store.getSessions().size();

		for (int i = 0; i < 1_000; i++) {
			this.http.get().uri("/login").accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk();
		}
		for (int i = 0; i < 10 * MAX_SESSIONS; i++) {
			this.http.get().uri(authorizeUri("flood-" + i)).accept(MediaType.TEXT_HTML).exchange()
				.expectStatus().isFound().expectHeader().location("/login");
		}
		assertThat(store.getSessions()).as("sessions in the in-memory store").hasSize(before);

		PageSession browser = PageSession.anonymous(this.http);
		assertThat(browser.get(authorizeUri("real")).getResponseHeaders().getLocation()).hasToString("/login");
		EntityExchangeResult<String> login = browser.logIn("rosa", "rosa-password");
		EntityExchangeResult<String> consent = browser.get(login.getResponseHeaders().getLocation().toString());
		assertThat(consent.getStatus()).isEqualTo(HttpStatus.OK);
		String requestId = consent.getResponseBody().replaceAll("(?s).*name=\"request_id\"\\s+value=\"([^\"]+)\".*", "$1");
		String callback = browser.submitWithTokenFrom(consent, "/Api/authorize", form("request_id", requestId,
				"decision", "once")).getResponseHeaders().getLocation().toString();
		Map<String, String> answer = UriComponentsBuilder.fromUriString(callback).build().getQueryParams().toSingleValueMap();
		assertThat(answer).containsEntry("state", "real").containsKey("code");
		assertThat(store.getSessions()).as("the login's session").hasSize(before + 1);
		this.http.post().uri("/Api/access_token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=authorization_code&client_id=web&client_secret=web-secret&redirect_uri=" + CALLBACK
					+ "&code=" + answer.get("code"))
			.exchange().expectStatus().isOk();
	}

	@Test
	void cookiesWhenATrustedProxySaysHttpsThenSecure() {
		FluxExchangeResult<String> waiting = this.http.get().uri(authorizeUri("s")).accept(MediaType.TEXT_HTML)
			.header("X-Forwarded-Proto", "https").exchange().expectStatus().isFound().returnResult(String.class);
		assertPageCookie(waiting.getResponseCookies().getFirst("REDIRECT_URI"), true);
		EntityExchangeResult<String> loginPage = this.http.get().uri("/login").header("X-Forwarded-Proto", "https")
			.exchange().expectStatus().isOk().expectBody(String.class).returnResult();
		assertPageCookie(loginPage.getResponseCookies().getFirst("XSRF-TOKEN"), true);
		String csrf = loginPage.getResponseBody().replaceAll("(?s).*name=\"_csrf\"\\s+value=\"([^\"]+)\".*", "$1");
		FluxExchangeResult<String> login = this.http.post().uri("/login").header("X-Forwarded-Proto", "https")
			.cookie("XSRF-TOKEN", loginPage.getResponseCookies().getFirst("XSRF-TOKEN").getValue())
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("username=rosa&password=rosa-password&_csrf=" + csrf)
			.exchange().expectStatus().isFound().returnResult(String.class);
		assertPageCookie(login.getResponseCookies().getFirst("SESSION"), true);

		// the same proxy over plain HTTP
		assertPageCookie(this.http.get().uri("/login").header("X-Forwarded-Proto", "http").exchange()
			.returnResult(String.class).getResponseCookies().getFirst("XSRF-TOKEN"), false);
	}

	private InMemoryWebSessionStore sessionStore() {
		DefaultWebSessionManager sessions = this.gateway.getBean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME,
				DefaultWebSessionManager.class);
		assertThat(sessions.getSessionStore()).as("WebFlux's own store, not Spring Session's")
			.isInstanceOf(InMemoryWebSessionStore.class);
		return (InMemoryWebSessionStore) sessions.getSessionStore();
	}

	private static String authorizeUri(String state) {
		return UriComponentsBuilder.fromPath("/Api/authorize").queryParam("response_type", "code")
			.queryParam("client_id", "web").queryParam("redirect_uri", CALLBACK).queryParam("state", state)
			.encode().build().toUriString();
	}

	private static MultiValueMap<String, String> form(String... namesAndValues) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			form.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return form;
	}

}
