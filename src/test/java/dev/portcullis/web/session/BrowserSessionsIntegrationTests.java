package dev.portcullis.web.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.PageSession;
import dev.portcullis.web.PortcullisIntegrationTests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser sessions in Redis (issue 12): only a login makes one, anonymous page views, however many, make none, and
 * the cookies that carry them are {@code HttpOnly; SameSite=Lax}, {@code Secure} only when the request came over
 * TLS as the gateway can tell.
 */
class BrowserSessionsIntegrationTests extends PortcullisIntegrationTests {

	private static final int ANONYMOUS_VIEWS = 1_000;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	/** Issue 12: every anonymous GET /login made a session; ten thousand of them locked every user out. */
	@Test
	void anonymousPageViewsWhenAThousandThenNoSessionAndARealLoginStillWorks() {
		RegisteredClient client = registerWebClient();
		User user = registerUser(uniqueId("olga"), true);
		long before = sessionKeys();

		for (int i = 0; i < ANONYMOUS_VIEWS; i++) {
			assertNoSessionCookie(this.http.get().uri("/login").accept(MediaType.TEXT_HTML).exchange()
				.expectStatus().isOk().returnResult(String.class).getResponseCookies());
		}
		// the authorization request and the admin pages, without a cookie: to the login page, remembered in a cookie
		for (int i = 0; i < 100; i++) {
			for (String page : List.of(authorizeUri(client, "flood-" + i), "/admin")) {
				assertNoSessionCookie(this.http.get().uri(page).accept(MediaType.TEXT_HTML).exchange()
					.expectStatus().isFound().expectHeader().location("/login")
					.returnResult(String.class).getResponseCookies());
			}
		}
		// a failed login makes none either
		PageSession guesser = PageSession.anonymous(this.http);
		EntityExchangeResult<String> loginPage = guesser.get("/login");
		assertThat(guesser.submitWithTokenFrom(loginPage, "/login", form("username", user.username(), "password", "wrong"))
			.getResponseHeaders().getLocation()).hasToString("/login?error");
		assertThat(guesser.cookies()).doesNotContainKey("SESSION");

		assertThat(sessionKeys()).as("session keys under %s:sessions:", NAMESPACE).isEqualTo(before);

		String code = authorizeOnce(PageSession.anonymous(this.http), client, user, "after-the-flood");
		assertThat(sessionKeys()).as("the login's session").isEqualTo(before + 1);
		exchange(client, code).expectStatus().isOk();
	}

	@Test
	void sessionKeyWhenLoggedInThenUnderTheNamespaceWithTheSessionTimeoutAsTtl() {
		PageSession browser = PageSession.anonymous(this.http);
		User user = registerUser(uniqueId("pia"), true);
		browser.logIn(user.username(), user.username() + "-password");
		String key = NAMESPACE + ":sessions:" + browser.sessionId();
		assertThat(this.redis.hasKey(key).block(Duration.ofSeconds(5))).as(key).isTrue();
		Duration ttl = this.redis.getExpire(key).block(Duration.ofSeconds(5));
		// server.reactive.session.timeout, Spring's default of 30 minutes
		assertThat(ttl).isGreaterThan(Duration.ofMinutes(29)).isLessThanOrEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void signOutWhenPostedThenTheSessionIsGoneFromRedis() {
		String username = uniqueId("uma");
		this.users.save(new User(uniqueId("user"), username, this.hasher.hash(username + "-password"), true, true))
			.block(Duration.ofSeconds(10));
		PageSession browser = PageSession.signIn(this.http, username, username + "-password");
		String key = NAMESPACE + ":sessions:" + browser.sessionId();
		assertThat(this.redis.hasKey(key).block(Duration.ofSeconds(5))).as(key).isTrue();

		EntityExchangeResult<String> signedOut = browser.submit("/admin", "/logout", form());
		assertThat(signedOut.getResponseHeaders().getLocation()).hasToString("/login?logout");
		assertThat(this.redis.hasKey(key).block(Duration.ofSeconds(5))).as(key).isFalse();
		assertThat(browser.cookies()).doesNotContainKey("SESSION");
	}

	@Test
	void cookiesWhenPlainHttpThenHttpOnlyAndSameSiteLaxButNotSecure() {
		RegisteredClient client = registerWebClient();
		User user = registerUser(uniqueId("quinn"), true);
		// X-Forwarded-Proto from a peer that is not a trusted proxy (none is configured here) is not believed
		FluxExchangeResult<String> waiting = this.http.get().uri(authorizeUri(client, "s")).accept(MediaType.TEXT_HTML)
			.header("X-Forwarded-Proto", "https").exchange().expectStatus().isFound().returnResult(String.class);
		assertPageCookie(waiting.getResponseCookies().getFirst("REDIRECT_URI"), false);
		assertThat(waiting.getResponseCookies().getFirst("REDIRECT_URI").getMaxAge())
			.as("an abandoned authorization request is not replayed at a login hours later")
			.isEqualTo(Duration.ofMinutes(10));
		FluxExchangeResult<String> loginPage = this.http.get().uri("/login").header("X-Forwarded-Proto", "https")
			.exchange().expectStatus().isOk().returnResult(String.class);
		assertPageCookie(loginPage.getResponseCookies().getFirst("XSRF-TOKEN"), false);

		PageSession browser = PageSession.anonymous(this.http);
		browser.logIn(user.username(), user.username() + "-password");
		assertPageCookie(browser.lastSet("SESSION"), false);
	}

	// --- helpers

	private long sessionKeys() {
		return this.redis.keys(NAMESPACE + ":sessions:*").count().block(Duration.ofSeconds(10));
	}

	private static void assertNoSessionCookie(MultiValueMap<String, ResponseCookie> cookies) {
		assertThat(cookies).doesNotContainKey("SESSION");
	}

	static void assertPageCookie(ResponseCookie cookie, boolean secure) {
		assertThat(cookie).isNotNull();
		assertThat(cookie.isHttpOnly()).as("%s HttpOnly", cookie.getName()).isTrue();
		assertThat(cookie.getSameSite()).as("%s SameSite", cookie.getName()).isEqualTo("Lax");
		assertThat(cookie.isSecure()).as("%s Secure", cookie.getName()).isEqualTo(secure);
	}

	/** From the authorization request to the code, through the login and the consent page's "Authorize Once". */
	private String authorizeOnce(PageSession browser, RegisteredClient client, User user, String state) {
		assertThat(browser.get(authorizeUri(client, state)).getResponseHeaders().getLocation()).hasToString("/login");
		EntityExchangeResult<String> login = browser.logIn(user.username(), user.username() + "-password");
		EntityExchangeResult<String> consent = browser.get(login.getResponseHeaders().getLocation().toString());
		assertThat(consent.getStatus()).isEqualTo(HttpStatus.OK);
		String requestId = consent.getResponseBody().replaceAll("(?s).*name=\"request_id\"\\s+value=\"([^\"]+)\".*", "$1");
		String callback = browser.submitWithTokenFrom(consent, "/Api/authorize",
				form("request_id", requestId, "decision", "once")).getResponseHeaders().getLocation().toString();
		Map<String, String> answer = UriComponentsBuilder.fromUriString(callback).build().getQueryParams().toSingleValueMap();
		assertThat(answer).containsEntry("state", state).containsKey("code");
		return answer.get("code");
	}

	private WebTestClient.ResponseSpec exchange(RegisteredClient client,
			String code) {
		return postForm(form("grant_type", "authorization_code", "client_id", client.id(), "client_secret",
				secretOf(client.id()), "redirect_uri", callbackUri(), "code", code));
	}

	private String authorizeUri(RegisteredClient client, String state) {
		return UriComponentsBuilder.fromPath("/Api/authorize")
			.queryParam("response_type", "code")
			.queryParam("client_id", client.id())
			.queryParam("redirect_uri", callbackUri())
			.queryParam("state", state)
			.encode()
			.build()
			.toUriString();
	}

	private RegisteredClient registerWebClient() {
		String id = uniqueId("web");
		RegisteredClient client = new RegisteredClient(id, "Web app", this.hasher.hash(secretOf(id)), true,
				Set.of(GrantType.AUTHORIZATION_CODE), null, List.of(callbackUri()), Set.of());
		return this.clients.save(client).block(Duration.ofSeconds(10));
	}

	private static String callbackUri() {
		return UPSTREAM.uri() + "/callback";
	}

}
