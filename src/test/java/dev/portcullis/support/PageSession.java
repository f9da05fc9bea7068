package dev.portcullis.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
 * A browser's session with the pages, over real HTTP without a browser: its cookies (the session's, and the login
 * form's CSRF token), and the CSRF token each form carries, taken from the page as a browser would. For tests of what a signed-in session may still do.
 */
public final class PageSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

	private final WebTestClient http;

	/** The cookies a browser would send back, by name: the session's, and before login the CSRF token's. */
	private final Map<String, String> cookies = new LinkedHashMap<>();

	/** The last {@code Set-Cookie} of each name, with its attributes. */
	private final Map<String, ResponseCookie> lastSet = new LinkedHashMap<>();

	private PageSession(WebTestClient http) {
		this.http = http;
	}

	/** A browser that has not been to the pages yet: no cookies. */
	public static PageSession anonymous(WebTestClient http) {
		return new PageSession(http);
	}

	/** Signs in on the login page, as the form does; fails unless the login succeeds. */
	public static PageSession signIn(WebTestClient http, String username, String password) {
		PageSession session = new PageSession(http);
		EntityExchangeResult<String> login = session.logIn(username, password);
		assertThat(login.getResponseHeaders().getLocation()).as("login failed").hasToString("/admin");
		return session;
	}

	/**
	 * Loads the login page and posts its form; fails unless the login succeeds. Answers the login's redirect: to
	 * the request that was waiting for it, or to {@code /admin}.
	 */
	public EntityExchangeResult<String> logIn(String username, String password) {
		EntityExchangeResult<String> loginPage = get("/login");
		assertThat(loginPage.getStatus().value()).as("the login page").isEqualTo(200);
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("username", username);
		form.add("password", password);
		EntityExchangeResult<String> login = post("/login", csrf(loginPage.getResponseBody()), form);
		assertThat(login.getStatus().is3xxRedirection()).as("login answered %s", login.getStatus()).isTrue();
		assertThat(login.getResponseHeaders().getLocation().toString()).as("login failed").doesNotStartWith("/login");
		assertThat(this.cookies).as("a session cookie").containsKey("SESSION");
		return login;
	}

	/** The session cookie's value. */
	public String sessionId() {
		return this.cookies.get("SESSION");
	}

	/** The last {@code Set-Cookie} of that name this browser received, with its attributes; null if none. */
	public ResponseCookie lastSet(String name) {
		return this.lastSet.get(name);
	}

	/** The cookies this browser holds now, by name. */
	public Map<String, String> cookies() {
		return Map.copyOf(this.cookies);
	}

	/** A page, as a browser asks for it (accepting HTML, so that a request that needs a login is remembered). */
	public EntityExchangeResult<String> get(String path) {
		return keep(this.http.get().uri(path).accept(MediaType.TEXT_HTML, MediaType.ALL).headers(this::sendCookies)
			.exchange().expectBody(String.class).returnResult());
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
		return keep(this.http.post().uri(path).headers(this::sendCookies)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(withToken))
			.exchange()
			.expectBody(String.class)
			.returnResult());
	}

	private void sendCookies(HttpHeaders headers) {
		if (!this.cookies.isEmpty()) {
			headers.set(HttpHeaders.COOKIE, this.cookies.entrySet().stream()
				.map((cookie) -> cookie.getKey() + "=" + cookie.getValue())
				.collect(Collectors.joining("; ")));
		}
	}

	/** Follows every {@code Set-Cookie}, as a browser does: a new value, or the cookie's removal. */
	private <T> EntityExchangeResult<T> keep(EntityExchangeResult<T> result) {
		result.getResponseCookies().forEach((name, values) -> {
			ResponseCookie cookie = values.get(values.size() - 1);
			this.lastSet.put(name, cookie);
			if (cookie.getMaxAge().isZero() || cookie.getValue().isEmpty()) {
				this.cookies.remove(name);
			}
			else {
				this.cookies.put(name, cookie.getValue());
			}
		});
		return result;
	}

	private static String csrf(String page) {
		Matcher matcher = CSRF.matcher(page);
		assertThat(matcher.find()).as("the page carries a CSRF token").isTrue();
		return (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
	}

}
