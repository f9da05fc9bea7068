package dev.portcullis.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's session with the pages, over real HTTP without a browser: the session cookie, and the CSRF token each
 * form carries, taken from the page as a browser would. For tests of what a signed-in session may still do.
 */
public final class PageSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

	private final WebTestClient http;

	private String cookie;

	private PageSession(WebTestClient http, String cookie) {
		this.http = http;
		this.cookie = cookie;
	}

	/** Signs in on the login page, as the form does; fails unless the login succeeds. */
	public static PageSession signIn(WebTestClient http, String username, String password) {
		EntityExchangeResult<String> loginPage = http.get().uri("/login").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult();
		PageSession session = new PageSession(http, sessionCookie(loginPage));
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("username", username);
		form.add("password", password);
		EntityExchangeResult<String> login = session.post("/login", csrf(loginPage.getResponseBody()), form);
		assertThat(login.getStatus().is3xxRedirection()).as("login answered %s", login.getStatus()).isTrue();
		assertThat(login.getResponseHeaders().getLocation()).as("login failed").hasToString("/admin");
		session.cookie = sessionCookie(login);
		return session;
	}

	public EntityExchangeResult<String> get(String path) {
		return this.http.get().uri(path).header(HttpHeaders.COOKIE, this.cookie).exchange().expectBody(String.class)
			.returnResult();
	}

	/** Posts a form from {@code pagePath}, with the CSRF token that page carries. */
	public EntityExchangeResult<String> submit(String pagePath, String actionPath, MultiValueMap<String, String> form) {
		EntityExchangeResult<String> page = get(pagePath);
		assertThat(page.getStatus().value()).as("the form page %s", pagePath).isEqualTo(200);
		return post(actionPath, csrf(page.getResponseBody()), form);
	}

	/** Posts a form with the CSRF token of a page loaded earlier. */
	public EntityExchangeResult<String> submitWithTokenFrom(EntityExchangeResult<String> page, String actionPath,
			MultiValueMap<String, String> form) {
		return post(actionPath, csrf(page.getResponseBody()), form);
	}

	private EntityExchangeResult<String> post(String path, String csrf, MultiValueMap<String, String> form) {
		MultiValueMap<String, String> withToken = new LinkedMultiValueMap<>(form);
		withToken.add("_csrf", csrf);
		return this.http.post().uri(path).header(HttpHeaders.COOKIE, this.cookie)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(withToken))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static String csrf(String page) {
		Matcher matcher = CSRF.matcher(page);
		assertThat(matcher.find()).as("the page carries a CSRF token").isTrue();
		return (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
	}

	private static String sessionCookie(EntityExchangeResult<?> result) {
		ResponseCookie cookie = result.getResponseCookies().getFirst("SESSION");
		assertThat(cookie).as("a session cookie").isNotNull();
		return "SESSION=" + cookie.getValue();
	}

}
