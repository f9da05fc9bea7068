package dev.portcullis.web.authorize;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.web.BrowserIntegrationTests;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code flow as a person goes through it: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) against the gateway on its real port, the EchoUpstream standing in for the client
 * application that receives the redirect. Saves screenshots of the pages under {@code target/screenshots/} for
 * reviewers. Fails, rather than skips, when the browser is not installed: CI installs it.
 */
class AuthorizationCodeFlowBrowserTests extends BrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final SecureRandom RANDOM = new SecureRandom();

	@Test
	void authorizeOnceThenRedirectCarriesCodeAndStateWhichBuyATokenThatCallsTheApi() throws Exception {
		RegisteredClient client = registerAuthorizationCodeClient();
		User user = registerUser(uniqueId("alice"), true);
		Pkce pkce = Pkce.generate();
		String state = uniqueId("state");

		this.driver.get(authorizeUrl(client, state, pkce.challenge()));
		awaitLoginPage();
		assertThat(this.driver.findElements(By.cssSelector("[role=alert], [role=status]")))
			.as("no failure or signed-out notice before any attempt")
			.isEmpty();
		screenshot("login.png");
		screenshotAtPhoneWidth("login-390");
		signIn(user);
		awaitConsentPage();
		assertThat(this.driver.getTitle()).isEqualTo("Authorize " + client.name() + " · Portcullis");
		assertThat(this.driver.findElement(By.id("consent-title")).getText())
			.isEqualTo("Authorize " + client.name());
		assertThat(this.driver.getPageSource()).contains(callbackUri());
		screenshot("consent.png");
		screenshotAtPhoneWidth("consent-390");
		this.driver.findElement(By.id("authorize-once")).click();

		Map<String, String> answer = awaitCallback();
		assertThat(answer).containsOnlyKeys("code", "state").containsEntry("state", state);
		assertThat(answer.get("code")).matches("[0-9a-f]{64}");

		Map<String, Object> tokens = parse(exchangeWithBasicAuth(client, answer.get("code"), pkce.verifier())
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(tokens).containsEntry("token_type", "Bearer").containsKeys("access_token", "refresh_token",
				"expires_in");
		assertThat(verifiedClaims((String) tokens.get("access_token"))).containsEntry("sub", user.id())
			.containsEntry("client_id", client.id());
		Map<String, Object> echo = parse(callApi((String) tokens.get("access_token")).expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(echo).containsEntry("method", "GET").containsEntry("path", "/Api/V8/module/Accounts");

		// "Authorize Once" is not remembered: the next request asks again
		this.driver.get(authorizeUrl(client, uniqueId("state"), Pkce.generate().challenge()));
		awaitConsentPage();
	}

	@Test
	void authorizeAlwaysThenSecondAuthorizationSkipsTheConsentPage() {
		RegisteredClient client = registerAuthorizationCodeClient();
		User user = registerUser(uniqueId("bob"), true);
		Pkce first = Pkce.generate();
		String firstState = uniqueId("state");

		this.driver.get(authorizeUrl(client, firstState, first.challenge()));
		awaitLoginPage();
		signIn(user);
		awaitConsentPage();
		this.driver.findElement(By.id("authorize-always")).click();
		Map<String, String> firstAnswer = awaitCallback();
		assertThat(firstAnswer).containsEntry("state", firstState).containsKey("code");
		exchangeWithBodyCredentials(client, firstAnswer.get("code"), first.verifier()).expectStatus().isOk();

		Pkce second = Pkce.generate();
		String secondState = uniqueId("state");
		this.driver.get(authorizeUrl(client, secondState, second.challenge()));
		// straight back to the application: no consent page in between
		Map<String, String> secondAnswer = awaitCallback();
		assertThat(secondAnswer).containsEntry("state", secondState);
		assertThat(secondAnswer.get("code")).matches("[0-9a-f]{64}").isNotEqualTo(firstAnswer.get("code"));
		String accessToken = (String) parse(exchangeWithBodyCredentials(client, secondAnswer.get("code"),
				second.verifier())
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("access_token");
		callApi(accessToken).expectStatus().isOk();

		// the remembered consent is this user's only: another user of the same browser is asked
		this.driver.manage().deleteAllCookies();
		User other = registerUser(uniqueId("carol"), true);
		this.driver.get(authorizeUrl(client, uniqueId("state"), Pkce.generate().challenge()));
		awaitLoginPage();
		signIn(other);
		awaitConsentPage();
	}

	@Test
	void declineThenRedirectCarriesAccessDeniedAndNoCode() {
		RegisteredClient client = registerAuthorizationCodeClient();
		User user = registerUser(uniqueId("dave"), true);
		String state = uniqueId("state");

		this.driver.get(authorizeUrl(client, state, Pkce.generate().challenge()));
		awaitLoginPage();
		signIn(user);
		awaitConsentPage();
		this.driver.findElement(By.id("decline")).click();

		Map<String, String> answer = awaitCallback();
		assertThat(answer).doesNotContainKey("code")
			.containsEntry("state", state)
			.containsEntry("error", "access_denied")
			.containsEntry("error_description", "The resource owner or authorization server denied the request.")
			.containsEntry("hint", "The user denied the request")
			.containsEntry("message", "The resource owner or authorization server denied the request.");
	}

	/**
	 * Issue 12: a base64 state with {@code +} came back with the {@code +} unescaped, which a form decoder reads as a
	 * space. Through the login and the consent page, in a browser, the state a Nimbus client sent comes back as sent.
	 */
	@Test
	void authorizeOnceWhenStateHoldsFormSpecialCharactersThenNimbusReadsItBackExactly() throws Exception {
		RegisteredClient client = registerAuthorizationCodeClient();
		User user = registerUser(uniqueId("hugo"), true);
		Pkce pkce = Pkce.generate();
		String state = "q+Zx/9w== & a=b%c#d é€";
		URI request = new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(ResponseType.CODE,
				new ClientID(client.id()))
			.endpointURI(URI.create(gateway() + "/Api/authorize"))
			.redirectionURI(URI.create(callbackUri()))
			.state(new State(state))
			.codeChallenge(new CodeVerifier(pkce.verifier()), CodeChallengeMethod.S256)
			.build()
			.toURI();

		this.driver.get(request.toString());
		awaitLoginPage();
		signIn(user);
		awaitConsentPage();
		this.driver.findElement(By.id("authorize-once")).click();
		awaitCallback();

		AuthorizationSuccessResponse response = AuthorizationResponse.parse(URI.create(this.driver.getCurrentUrl()))
			.toSuccessResponse();
		assertThat(response.getState().getValue()).isEqualTo(state);
		exchangeWithBasicAuth(client, response.getAuthorizationCode().getValue(), pkce.verifier()).expectStatus().isOk();
	}

	@Test
	void tamperedCodeVerifierThenInvalidGrantAndTheCodeIsSpent() {
		RegisteredClient client = registerAuthorizationCodeClient();
		User user = registerUser(uniqueId("erin"), true);
		Pkce pkce = Pkce.generate();
		Map<String, String> answer = authorizeOnce(client, user, pkce);
		String tampered = Pkce.generate().verifier();

		exchangeWithBasicAuth(client, answer.get("code"), tampered).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant")
			.jsonPath("$.hint")
			.isEqualTo("Failed to verify `code_verifier`.");
		// one guess per code: the right verifier is too late now
		exchangeWithBasicAuth(client, answer.get("code"), pkce.verifier()).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request");
	}

	@Test
	void reusedCodeThenRevokedAndTheGrantItBoughtEnds() {
		RegisteredClient client = registerAuthorizationCodeClient();
		User user = registerUser(uniqueId("frank"), true);
		Pkce pkce = Pkce.generate();
		Map<String, String> answer = authorizeOnce(client, user, pkce);
		Map<String, Object> tokens = parse(exchangeWithBasicAuth(client, answer.get("code"), pkce.verifier())
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		String accessToken = (String) tokens.get("access_token");
		callApi(accessToken).expectStatus().isOk();

		exchangeWithBasicAuth(client, answer.get("code"), pkce.verifier()).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request")
			.jsonPath("$.hint")
			.isEqualTo("Authorization code has been revoked");

		// RFC 6749 §4.1.2: the tokens issued from the code are revoked too
		callApi(accessToken).expectStatus().isUnauthorized();
		postForm(form("grant_type", "refresh_token", "refresh_token", (String) tokens.get("refresh_token"),
				"client_id", client.id(), "client_secret", secretOf(client.id())))
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.hint")
			.isEqualTo("Token has been revoked");
	}

	@Test
	void unregisteredRedirectUriThenErrorPageNeverARedirect() throws Exception {
		RegisteredClient client = registerAuthorizationCodeClient();
		User user = registerUser(uniqueId("grace"), true);
		long upstreamRequests = UPSTREAM.requestCount();
		String evil = UPSTREAM.uri() + "/evil";

		this.driver.get(authorizeUrl(client, evil, uniqueId("state"), Pkce.generate().challenge()));
		awaitLoginPage();
		signIn(user);
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error-title")));

		assertThat(this.driver.getCurrentUrl()).startsWith(gateway() + "/Api/authorize?");
		assertThat(this.driver.getTitle()).isEqualTo("Cannot continue · Portcullis");
		assertThat(this.driver.findElement(By.cssSelector("[role=alert]")).getText())
			.contains("redirect URI is not registered");
		assertThat(UPSTREAM.requestCount()).as("nothing was sent to the unregistered URI").isEqualTo(upstreamRequests);
		screenshot("error.png");
		screenshotAtPhoneWidth("error-390");
	}

	// --- the flow's steps

	private Map<String, String> authorizeOnce(RegisteredClient client, User user, Pkce pkce) {
		String state = uniqueId("state");
		this.driver.get(authorizeUrl(client, state, pkce.challenge()));
		awaitLoginPage();
		signIn(user);
		awaitConsentPage();
		this.driver.findElement(By.id("authorize-once")).click();
		Map<String, String> answer = awaitCallback();
		assertThat(answer).containsEntry("state", state).containsKey("code");
		return answer;
	}

	private void awaitLoginPage() {
		this.wait.until(ExpectedConditions.titleIs("Sign in · Portcullis"));
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
	}

	private void signIn(User user) {
		this.driver.findElement(By.id("username")).sendKeys(user.username());
		this.driver.findElement(By.id("password")).sendKeys(user.username() + "-password");
		this.driver.findElement(By.id("sign-in")).click();
	}

	private void awaitConsentPage() {
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("consent-title")));
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("authorize-always")));
	}

	/** Waits until the browser is at the client's redirect URI, and returns that URI's query parameters. */
	private Map<String, String> awaitCallback() {
		this.wait.until(ExpectedConditions.urlMatches("^" + Pattern.quote(callbackUri()) + "\\?"));
		MultiValueMap<String, String> query = UriComponentsBuilder.fromUriString(this.driver.getCurrentUrl())
			.build()
			.getQueryParams();
		Map<String, String> decoded = new LinkedHashMap<>();
		query.forEach((name, values) -> {
			assertThat(values).as("parameter %s", name).hasSize(1);
			decoded.put(name, UriUtils.decode(values.get(0), StandardCharsets.UTF_8));
		});
		return decoded;
	}

	private WebTestClient.ResponseSpec exchangeWithBasicAuth(RegisteredClient client, String code, String verifier) {
		return this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.AUTHORIZATION, basic(client.id(), secretOf(client.id())))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form("grant_type", "authorization_code", "code", code, "redirect_uri",
					callbackUri(), "code_verifier", verifier)))
			.exchange();
	}

	private WebTestClient.ResponseSpec exchangeWithBodyCredentials(RegisteredClient client, String code,
			String verifier) {
		return postForm(form("grant_type", "authorization_code", "client_id", client.id(), "client_secret",
				secretOf(client.id()), "code", code, "redirect_uri", callbackUri(), "code_verifier", verifier));
	}

	private WebTestClient.ResponseSpec callApi(String accessToken) {
		return this.http.get()
			.uri("/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
			.exchange();
	}

	// --- set-up and helpers

	/** A confidential client of the authorization code grant whose one redirect URI is a page of the EchoUpstream. */
	private RegisteredClient registerAuthorizationCodeClient() {
		String id = uniqueId("web");
		RegisteredClient client = new RegisteredClient(id, "Browser app " + id.substring(id.length() - 6),
				this.hasher.hash(secretOf(id)), true, Set.of(GrantType.AUTHORIZATION_CODE), null,
				List.of(callbackUri()), Set.of());
		return this.clients.save(client).block(WAIT);
	}

	private static String callbackUri() {
		return UPSTREAM.uri() + "/callback";
	}

	private String authorizeUrl(RegisteredClient client, String state, String challenge) {
		return authorizeUrl(client, callbackUri(), state, challenge);
	}

	private String authorizeUrl(RegisteredClient client, String redirectUri, String state, String challenge) {
		return UriComponentsBuilder.fromUriString(gateway() + "/Api/authorize")
			.queryParam("response_type", "code")
			.queryParam("client_id", client.id())
			.queryParam("redirect_uri", redirectUri)
			.queryParam("state", state)
			.queryParam("code_challenge", challenge)
			.queryParam("code_challenge_method", "S256")
			.encode()
			.build()
			.toUriString();
	}

	private void screenshot(String name) throws IOException {
		this.browser.screenshot(name);
	}

	private void screenshotAtPhoneWidth(String name) throws IOException {
		this.browser.screenshotAtPhoneWidth(name);
	}

	/** A PKCE pair (RFC 7636 S256): a random verifier and base64url(sha256(verifier)) without padding. */
	private record Pkce(String verifier, String challenge) {

		static Pkce generate() {
			byte[] bytes = new byte[32];
			RANDOM.nextBytes(bytes);
			String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
				return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
