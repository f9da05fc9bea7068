package dev.portcullis.web.authorize;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.TestGateways;
import dev.portcullis.web.PortcullisIntegrationTests;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login and consent pages at the HTTP level, without a browser: security headers, CSRF, the redirect to the
 * login page, a fresh session at login, the login throttle, and the error answers of {@code GET /Api/authorize}.
 */
class AuthorizeEndpointTests extends PortcullisIntegrationTests {

	private static final String SESSION = "SESSION";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private static final Pattern REQUEST_ID = Pattern.compile("name=\"request_id\"\\s+value=\"([^\"]+)\"");

	private static final SecureRandom RANDOM = new SecureRandom();

	/** A state with every character a form decoder reads differently from a percent-decoder, and non-ASCII. */
	private static final String TRICKY_STATE = "a+b c&d=e%f#g/h?i;j`é€==";

	@Value("${local.server.port}")
	private int port;

	@Test
	void loginAndConsentPagesForbidFramingAndForeignContent() {
		EntityExchangeResult<String> login = this.http.get()
			.uri("/login")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		assertNoFraming(login.getResponseHeaders());

		Session session = signIn(registerUser(uniqueId("hank"), true));
		EntityExchangeResult<String> consent = authorize(session, registerWebClient(true), "s1", challenge());
		assertThat(consent.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(consent.getResponseBody()).contains("id=\"consent-title\"");
		assertNoFraming(consent.getResponseHeaders());
	}

	@Test
	void loginPageWhenFreshThenNeitherErrorNorSignedOutNotice() {
		// Thymeleaf on WebFlux answers ${param.x} with an empty, non-null value for absent parameters: the page must
		// not say "not right" to someone who has not tried yet
		assertThat(page("/login")).contains("id=\"username\"", "id=\"password\"", "id=\"sign-in\"")
			.doesNotContain("role=\"alert\"", "role=\"status\"");
		assertThat(page("/login?error")).contains("role=\"alert\"").doesNotContain("role=\"status\"");
		assertThat(page("/login?logout")).contains("role=\"status\"").doesNotContain("role=\"alert\"");
	}

	@Test
	void authorizeWhenNotSignedInThenRedirectToLoginPage() {
		EntityExchangeResult<String> result = authorize(new Session(), registerWebClient(true), "s1", challenge());

		assertThat(result.getStatus()).isEqualTo(HttpStatus.FOUND);
		assertThat(result.getResponseHeaders().getLocation()).hasToString("/login");
		assertNoFraming(result.getResponseHeaders());
	}

	@Test
	void loginWhenSucceedsThenNewSessionIdAndBackToTheAuthorizationRequest() {
		RegisteredClient client = registerWebClient(true);
		User user = registerUser(uniqueId("ivy"), true);
		String challenge = challenge();
		Session session = new Session();
		authorize(session, client, "s-1", challenge);
		assertThat(session.id).as("no session for an anonymous visitor").isNull();
		assertThat(session.others).as("the request waits in a cookie").containsKey("REDIRECT_URI");
		URI requested = URI.create(authorizeUri(client, callbackUri(), "s-1", challenge));
		String csrf = find(CSRF, get(this.http, session, "/login").getResponseBody());
		// an id planted before the login: an anonymous visitor gets none, so an attacker's own signed-in session
		String beforeLogin = signIn(registerUser(uniqueId("ivan"), true)).id;
		session.id = beforeLogin;

		EntityExchangeResult<byte[]> signedIn = postLogin(this.http, session, user.username(),
				user.username() + "-password", csrf);

		assertThat(signedIn.getStatus()).isEqualTo(HttpStatus.FOUND);
		assertThat(signedIn.getResponseHeaders().getLocation())
			.as("back to the authorization request with all its parameters")
			.hasToString(requested.getRawPath() + "?" + requested.getRawQuery());
		assertThat(session.id).as("a fresh session id at login").isNotNull().isNotEqualTo(beforeLogin);
		// an id planted before the login is worthless; the new one is signed in
		EntityExchangeResult<String> planted = authorize(new Session(beforeLogin), client, "s-2", challenge);
		assertThat(planted.getStatus()).isEqualTo(HttpStatus.FOUND);
		assertThat(planted.getResponseHeaders().getLocation()).hasToString("/login");
		assertThat(authorize(session, client, "s-2", challenge).getStatus()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void formsWhenPostedWithoutCsrfTokenThenForbidden() {
		User user = registerUser(uniqueId("jack"), true);
		Session anonymous = new Session();
		get(this.http, anonymous, "/login");
		for (MultiValueMap<String, String> login : List.of(
				form("username", user.username(), "password", user.username() + "-password"),
				form("username", user.username(), "password", user.username() + "-password", "_csrf", "not-the-token"))) {
			assertThat(post(this.http, anonymous, "/login", login).getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
		}

		Session session = signIn(user);
		String consent = authorize(session, registerWebClient(true), "s1", challenge()).getResponseBody();
		assertThat(find(CSRF, consent)).as("the consent form carries the token").isNotBlank();
		long upstreamRequests = UPSTREAM.requestCount();

		EntityExchangeResult<byte[]> decision = post(this.http, session, "/Api/authorize",
				form("request_id", find(REQUEST_ID, consent), "decision", "always"));

		assertThat(decision.getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(decision.getResponseHeaders().getLocation()).isNull();
		assertThat(UPSTREAM.requestCount()).isEqualTo(upstreamRequests);
	}

	@Test
	void decisionWhenSentTwiceThenSecondGetsTheErrorPage() {
		Session session = signIn(registerUser(uniqueId("kate"), true));
		String consent = authorize(session, registerWebClient(true), "s1", challenge()).getResponseBody();
		MultiValueMap<String, String> decision = form("request_id", find(REQUEST_ID, consent), "decision", "once",
				"_csrf", find(CSRF, consent));

		EntityExchangeResult<byte[]> first = post(this.http, session, "/Api/authorize", decision);
		// 303 See Other, WebFlux's redirect view: what RFC 9700 §4.12 recommends after a POST
		assertThat(first.getStatus()).isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(first.getResponseHeaders().getLocation().toString()).startsWith(callbackUri() + "?code=")
			.endsWith("&state=s1");

		EntityExchangeResult<byte[]> second = post(this.http, session, "/Api/authorize", decision);
		assertThat(second.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(second.getResponseHeaders().getLocation()).isNull();
		assertThat(new String(second.getResponseBody(), StandardCharsets.UTF_8)).contains("id=\"error-title\"",
				"expired or was already answered");
	}

	@Test
	void authorizeWhenClientUnknownOrRedirectUriUnregisteredThenErrorPageNeverARedirect() {
		Session session = signIn(registerUser(uniqueId("liam"), true));
		RegisteredClient client = registerWebClient(true);
		RegisteredClient unknown = new RegisteredClient(uniqueId("nobody"), "nobody", null, false,
				Set.of(GrantType.AUTHORIZATION_CODE), null, List.of(callbackUri()), Set.of());

		EntityExchangeResult<String> unknownClient = get(this.http, session,
				authorizeUri(unknown, callbackUri(), "s1", challenge()));
		assertThat(unknownClient.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(unknownClient.getResponseHeaders().getLocation()).isNull();
		assertThat(unknownClient.getResponseHeaders().getContentType()).isNotNull()
			.matches((type) -> type.isCompatibleWith(MediaType.TEXT_HTML));
		assertThat(unknownClient.getResponseBody()).contains("id=\"error-title\"", "The client is unknown");

		EntityExchangeResult<String> unregistered = get(this.http, session,
				authorizeUri(client, "https://attacker.example/callback", "s1", challenge()));
		assertThat(unregistered.getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(unregistered.getResponseHeaders().getLocation()).isNull();
		assertThat(unregistered.getResponseBody()).contains("id=\"error-title\"", "redirect URI is not registered")
			.doesNotContain("attacker.example");
	}

	@Test
	void authorizeWhenPublicClientSendsNoCodeChallengeThenInvalidRequestToTheClient() {
		Session session = signIn(registerUser(uniqueId("mia"), true));

		EntityExchangeResult<String> result = authorize(session, registerWebClient(false), "s1", null);

		assertThat(result.getStatus()).isEqualTo(HttpStatus.SEE_OTHER);
		URI location = result.getResponseHeaders().getLocation();
		assertThat(location.toString()).startsWith(callbackUri() + "?");
		MultiValueMap<String, String> query = UriComponentsBuilder.fromUri(location).build().getQueryParams();
		assertThat(decode(query.getFirst("state"))).isEqualTo("s1");
		assertThat(decode(query.getFirst("error"))).isEqualTo("invalid_request");
		assertThat(decode(query.getFirst("hint"))).isEqualTo("Code challenge must be provided for public clients");
		assertThat(query).doesNotContainKey("code");
	}

	/**
	 * Issue 12: {@code state=a+b…} came back as {@code state=a+b%20c…}, so a client decoding the query as a form (RFC
	 * 6749 §4.1.2), as Nimbus does, read a space where it sent a {@code +}. Every redirect of a decision, with a code or
	 * with {@code access_denied}, now gives a form decoder and a plain percent-decoder exactly what the client sent.
	 */
	@Test
	void decisionWhenStateHoldsFormSpecialCharactersThenTheRedirectGivesItBackExactly() throws Exception {
		Session session = signIn(registerUser(uniqueId("olga"), true));
		RegisteredClient client = registerWebClient(true);
		for (String decision : List.of("once", "decline")) {
			String consent = get(this.http, session, nimbusAuthorizeUri(client, TRICKY_STATE, null)).getResponseBody();

			EntityExchangeResult<byte[]> answer = post(this.http, session, "/Api/authorize",
					form("request_id", find(REQUEST_ID, consent), "decision", decision, "_csrf", find(CSRF, consent)));

			assertThat(answer.getStatus()).isEqualTo(HttpStatus.SEE_OTHER);
			URI location = answer.getResponseHeaders().getLocation();
			AuthorizationResponse response = AuthorizationResponse.parse(location);
			assertThat(response.getState().getValue()).as(decision).isEqualTo(TRICKY_STATE);
			assertThat(formDecodedQuery(location)).containsEntry("state", TRICKY_STATE);
			assertThat(percentDecodedQuery(location)).containsEntry("state", TRICKY_STATE);
			if (decision.equals("once")) {
				assertThat(response.toSuccessResponse().getAuthorizationCode().getValue()).matches("[0-9a-f]{64}");
			}
			else {
				assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("access_denied");
				assertThat(response.toErrorResponse().getErrorObject().getDescription())
					.isEqualTo("The resource owner or authorization server denied the request.");
				assertThat(formDecodedQuery(location)).containsEntry("hint", "The user denied the request")
					.containsEntry("message", "The resource owner or authorization server denied the request.");
			}
		}
	}

	/** Issue 12: an error redirect before the consent page ({@code invalid_scope}): its state and hint likewise. */
	@Test
	void authorizeWhenScopeRefusedThenStateAndHintComeBackExactly() throws Exception {
		Session session = signIn(registerUser(uniqueId("pia"), true));
		String scope = "a+b&c=d%e#f/é";

		EntityExchangeResult<String> result = get(this.http, session,
				nimbusAuthorizeUri(registerWebClient(true), TRICKY_STATE, new Scope(scope)));

		assertThat(result.getStatus()).isEqualTo(HttpStatus.SEE_OTHER);
		URI location = result.getResponseHeaders().getLocation();
		AuthorizationErrorResponse response = AuthorizationResponse.parse(location).toErrorResponse();
		assertThat(response.getState().getValue()).isEqualTo(TRICKY_STATE);
		assertThat(response.getErrorObject().getCode()).isEqualTo("invalid_scope");
		assertThat(response.getErrorObject().getDescription())
			.isEqualTo("The requested scope is invalid, unknown, or malformed");
		for (Map<String, String> query : List.of(formDecodedQuery(location), percentDecodedQuery(location))) {
			assertThat(query).containsEntry("state", TRICKY_STATE)
				.containsEntry("error", "invalid_scope")
				.containsEntry("error_description", "The requested scope is invalid, unknown, or malformed")
				.containsEntry("hint", "Check the `" + scope + "` scope");
		}
	}

	/** Issue 11: the login page shares the guessing limits of the password grant, counted in the store. */
	@Test
	void loginWhenFiveFailuresForAUsernameFromOneAddressThenRefusedWithoutACheckButNotFromAnother() {
		// addresses of their own (all of 127/8 is loopback on Linux), so that no other test's logins are counted
		int octet = 2 + RANDOM.nextInt(120);
		WebTestClient fromX = clientFrom("127.0.0." + octet);
		WebTestClient fromY = clientFrom("127.0.0." + (octet + 1 + RANDOM.nextInt(120)));
		User nora = registerUser(uniqueId("nora"), true);
		for (int i = 0; i < 5; i++) {
			EntityExchangeResult<byte[]> failed = login(fromX, nora.username(), "wrong-" + i);
			assertThat(failed.getResponseHeaders().getLocation()).hasToString("/login?error");
		}

		// the right password from the guessing address: refused unchecked, with how long to wait
		EntityExchangeResult<byte[]> refused = login(fromX, nora.username(), nora.username() + "-password");
		assertThat(refused.getResponseHeaders().getLocation()).hasToString("/login?wait=1");
		assertThat(fromX.get().uri("/login?wait=1").exchange().expectStatus().isOk().expectBody(String.class)
			.returnResult().getResponseBody()).contains("Too many failed sign-ins. Wait <span>1</span> seconds");

		// the same username from another address: the real user still signs in
		EntityExchangeResult<byte[]> sameUser = login(fromY, nora.username(), nora.username() + "-password");
		assertThat(sameUser.getResponseHeaders().getLocation()).hasToString("/admin");
	}

	// --- a client that keeps its session cookie as a browser does

	/**
	 * The cookies of one user agent: the {@code SESSION} cookie, and the cookies the login form and the return after
	 * login use before there is a session. It follows every {@code Set-Cookie}: the session id changes at login.
	 */
	private static final class Session {

		@Nullable String id;

		final Map<String, String> others = new LinkedHashMap<>();

		Session() {
		}

		Session(String id) {
			this.id = id;
		}

		<S extends WebTestClient.RequestHeadersSpec<?>> S send(S request) {
			if (this.id != null) {
				request.cookie(SESSION, this.id);
			}
			this.others.forEach(request::cookie);
			return request;
		}

		<T> EntityExchangeResult<T> keep(EntityExchangeResult<T> result) {
			result.getResponseCookies().forEach((name, cookies) -> {
				ResponseCookie cookie = cookies.get(cookies.size() - 1);
				String value = (cookie.getMaxAge().isZero() || cookie.getValue().isEmpty()) ? null : cookie.getValue();
				if (SESSION.equals(name)) {
					this.id = value;
				}
				else if (value == null) {
					this.others.remove(name);
				}
				else {
					this.others.put(name, value);
				}
			});
			return result;
		}

	}

	private static EntityExchangeResult<String> get(WebTestClient client, Session session, String uri) {
		// as a browser asks: only a request that accepts HTML is saved for after the login
		WebTestClient.RequestHeadersSpec<?> request = uri.startsWith("/") ? client.get().uri(uri)
				: client.get().uri(URI.create(uri));
		return session.keep(session.send(request.accept(MediaType.TEXT_HTML, MediaType.ALL))
			.exchange()
			.expectBody(String.class)
			.returnResult());
	}

	private static EntityExchangeResult<byte[]> post(WebTestClient client, Session session, String path,
			MultiValueMap<String, String> form) {
		return session.keep(session
			.send(client.post()
				.uri(path)
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(BodyInserters.fromFormData(form)))
			.exchange()
			.expectBody()
			.returnResult());
	}

	private String page(String path) {
		return get(this.http, new Session(), path).getResponseBody();
	}

	/** A whole login from a fresh session: the page, then the form with the page's CSRF token. */
	private static EntityExchangeResult<byte[]> login(WebTestClient client, String username, String password) {
		Session session = new Session();
		String csrf = find(CSRF, get(client, session, "/login").getResponseBody());
		EntityExchangeResult<byte[]> result = postLogin(client, session, username, password, csrf);
		assertThat(result.getStatus()).isEqualTo(HttpStatus.FOUND);
		return result;
	}

	private static EntityExchangeResult<byte[]> postLogin(WebTestClient client, Session session, String username,
			String password, String csrf) {
		return post(client, session, "/login", form("username", username, "password", password, "_csrf", csrf));
	}

	/** Signs in through the login form; the returned session is signed in. */
	private Session signIn(User user) {
		Session session = new Session();
		String csrf = find(CSRF, get(this.http, session, "/login").getResponseBody());
		EntityExchangeResult<byte[]> result = postLogin(this.http, session, user.username(),
				user.username() + "-password", csrf);
		assertThat(result.getStatus()).isEqualTo(HttpStatus.FOUND);
		assertThat(result.getResponseHeaders().getLocation()).hasToString("/admin");
		return session;
	}

	private EntityExchangeResult<String> authorize(Session session, RegisteredClient client, String state,
			@Nullable String challenge) {
		return get(this.http, session, authorizeUri(client, callbackUri(), state, challenge));
	}

	// --- helpers

	/**
	 * The authorization request as Nimbus's {@link com.nimbusds.oauth2.sdk.AuthorizationRequest} builds it, which
	 * form-encodes its parameters.
	 */
	private String nimbusAuthorizeUri(RegisteredClient client, String state, @Nullable Scope scope) {
		return new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(client.id()))
			.endpointURI(URI.create("http://127.0.0.1:" + this.port + "/Api/authorize"))
			.redirectionURI(URI.create(callbackUri()))
			.state(new State(state))
			.scope(scope)
			.build()
			.toURI()
			.toString();
	}

	/** The query of {@code uri} as a form decoder reads it ({@code +} is a space), each parameter once. */
	private static Map<String, String> formDecodedQuery(URI uri) {
		return decodedQuery(uri, (value) -> URLDecoder.decode(value, StandardCharsets.UTF_8));
	}

	/** The query of {@code uri} as a plain percent-decoder (RFC 3986) reads it ({@code +} is a {@code +}). */
	private static Map<String, String> percentDecodedQuery(URI uri) {
		return decodedQuery(uri, (value) -> UriUtils.decode(value, StandardCharsets.UTF_8));
	}

	private static Map<String, String> decodedQuery(URI uri, UnaryOperator<String> decoder) {
		Map<String, String> decoded = new LinkedHashMap<>();
		UriComponentsBuilder.fromUri(uri).build().getQueryParams().forEach((name, values) -> {
			assertThat(values).as("parameter %s", name).hasSize(1);
			decoded.put(decoder.apply(name), decoder.apply(values.get(0)));
		});
		return decoded;
	}

	private static void assertNoFraming(HttpHeaders headers) {
		assertThat(headers.getFirst("Content-Security-Policy")).contains("frame-ancestors 'none'")
			.contains("default-src 'self'");
		assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
	}

	private String authorizeUri(RegisteredClient client, String redirectUri, String state,
			@Nullable String challenge) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString("http://127.0.0.1:" + this.port + "/Api/authorize")
			.queryParam("response_type", "code")
			.queryParam("client_id", client.id())
			.queryParam("redirect_uri", redirectUri)
			.queryParam("state", state);
		if (challenge != null) {
			uri.queryParam("code_challenge", challenge).queryParam("code_challenge_method", "S256");
		}
		return uri.encode().build().toUriString();
	}

	/** A client of the authorization code grant whose one redirect URI is a page of the EchoUpstream. */
	private RegisteredClient registerWebClient(boolean confidential) {
		String id = uniqueId("web");
		RegisteredClient client = new RegisteredClient(id, "Web app", confidential ? this.hasher.hash(secretOf(id)) : null,
				confidential, Set.of(GrantType.AUTHORIZATION_CODE), null, List.of(callbackUri()), Set.of());
		return this.clients.save(client).block(Duration.ofSeconds(10));
	}

	private static String callbackUri() {
		return UPSTREAM.uri() + "/callback";
	}

	/** Any well-formed S256 challenge: these tests never exchange the code. */
	private static String challenge() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private WebTestClient clientFrom(String localAddress) {
		return TestGateways.clientFrom(this.port, localAddress);
	}

	private static String find(Pattern pattern, @Nullable String page) {
		assertThat(page).isNotNull();
		Matcher matcher = pattern.matcher(page);
		assertThat(matcher.find()).as("%s in the page", pattern).isTrue();
		return matcher.group(1);
	}

	private static @Nullable String decode(@Nullable String value) {
		return (value != null) ? UriUtils.decode(value, StandardCharsets.UTF_8) : null;
	}

}
