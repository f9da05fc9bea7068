package dev.portcullis.web.admin;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.PageSession;
import dev.portcullis.support.TokenHashing;
import dev.portcullis.web.BrowserIntegrationTests;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin pages as an administrator uses them: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}) against the gateway on its real port. Creates a client on the pages, uses the id and
 * one-time secret shown to get a token, finds that token on the token page and revokes it, after which the proxy
 * refuses it; edits a client, withdraws a user's consent and revokes a pending authorization code. Saves
 * screenshots as {@code target/screenshots/admin-*.png}. Fails, rather than skips, without the browser.
 */
class AdminUiBrowserTests extends BrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	private ConsentStore consents;

	@Autowired
	private AuthorizationCodeStore codes;

	@Test
	void adminCreatesAClientOnThePagesAndRevokesTheTokenItGot() throws Exception {
		User admin = registerAdmin();

		// /admin sends to the login page, and back to /admin after signing in
		this.driver.get(gateway() + "/admin");
		awaitLoginPage();
		signIn(admin.username());
		awaitTitle("Overview");
		screenshot("admin-overview.png");

		this.driver.findElement(By.id("nav-clients")).click();
		awaitTitle("Clients");
		this.driver.findElement(By.id("new-client")).click();
		awaitTitle("New client");
		String name = "Reporting job " + uniqueId("x").substring(2, 10);
		this.driver.findElement(By.id("name")).sendKeys(name);
		this.driver.findElement(By.id("kind-client-credentials")).click();
		screenshot("admin-client-new.png");
		this.driver.findElement(By.id("create-client")).click();

		// the client's page, with the id and the secret shown this once
		awaitTitle(name);
		String clientId = this.driver.findElement(By.id("client-id")).getText();
		String secret = this.driver.findElement(By.id("client-secret")).getText();
		assertThat(clientId).matches("[0-9a-f-]{36}");
		assertThat(secret).matches("[0-9a-f]{64}");
		assertThat(this.driver.findElement(By.id("flash")).getText()).contains("Created client");
		screenshot("admin-client-created.png");
		this.driver.navigate().refresh();
		awaitTitle(name);
		assertThat(this.driver.findElements(By.id("client-secret"))).as("the secret is shown once only").isEmpty();

		// the list shows it, at desktop and at phone width
		this.driver.get(gateway() + "/admin/clients");
		awaitTitle("Clients");
		assertThat(this.driver.findElement(By.id("clients")).getText()).contains(name, clientId);
		screenshot("admin-clients.png");
		screenshotAtPhoneWidth("admin-clients-390");

		// the id and secret buy a token, which the proxy takes
		String accessToken = (String) parse(postForm(form("grant_type", "client_credentials", "client_id", clientId,
				"client_secret", secret))
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("access_token");
		String jti = (String) verifiedClaims(accessToken).get("jti");
		callApi(accessToken).expectStatus().isOk();

		// the token page, filtered by the client, lists it; revoke it after confirming
		this.driver.get(gateway() + "/admin/clients/" + clientId);
		awaitTitle(name);
		this.driver.findElement(By.id("client-tokens")).click();
		awaitTitle("Tokens");
		assertThat(this.driver.findElement(By.id("filter-client")).getAttribute("value")).isEqualTo(clientId);
		WebElement row = this.driver.findElement(By.cssSelector("tr[data-jti='" + jti + "']"));
		// the client by its name, linked (issue 13)
		assertThat(row.getText()).contains(name, "client_credentials");
		screenshot("admin-tokens.png");
		screenshotAtPhoneWidth("admin-tokens-390");
		row = this.driver.findElement(By.cssSelector("tr[data-jti='" + jti + "']"));
		row.findElement(By.cssSelector("a.revoke")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-title")));
		assertThat(this.driver.getPageSource()).contains(jti);
		callApi(accessToken).expectStatus().isOk();
		screenshot("admin-confirm.png");
		this.driver.findElement(By.id("confirm")).click();
		awaitTitle("Tokens");
		assertThat(this.driver.findElement(By.id("flash")).getText()).contains("Revoked the token");
		assertThat(this.driver.findElements(By.cssSelector("tr[data-jti='" + jti + "']"))).isEmpty();
		assertThat(this.driver.findElement(By.id("no-tokens")).getText()).isEqualTo("No live tokens.");

		callApi(accessToken).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.hint")
			.isEqualTo("Access token has been revoked");

		// the other pages render, and the audit log tells what was done
		this.driver.findElement(By.id("nav-users")).click();
		awaitTitle("Users");
		screenshot("admin-users.png");
		this.driver.get(gateway() + "/admin/users/" + admin.id());
		awaitTitle(admin.username());
		screenshot("admin-user.png");
		this.driver.findElement(By.id("nav-audit")).click();
		awaitTitle("Audit log");
		// the client and the administrator by name, linked to their pages (issue 13)
		assertThat(this.driver.findElement(By.id("audit")).getText()).contains("client.created", "token.revoked",
				name, admin.username());
		assertThat(this.driver.findElements(By.cssSelector("#audit a.object[href$='/admin/clients/" + clientId + "']"))).isNotEmpty();
		assertThat(this.driver.findElements(By.cssSelector("#audit a.actor[href$='/admin/users/" + admin.id() + "']"))).isNotEmpty();
		screenshot("admin-audit.png");
	}

	@Test
	void adminCreatesAUserWithAGeneratedPasswordAndDeactivatesIt() throws Exception {
		User admin = registerAdmin();
		this.driver.get(gateway() + "/admin/users/new");
		awaitLoginPage();
		signIn(admin.username());
		awaitTitle("New user");
		String username = uniqueId("pat");
		this.driver.findElement(By.id("username")).sendKeys(username);
		this.driver.findElement(By.id("create-user")).click();
		awaitTitle(username);
		String password = this.driver.findElement(By.id("user-password")).getText();
		String userId = this.driver.findElement(By.id("user-id")).getText();
		assertThat(this.users.findById(userId).block(WAIT)).extracting(User::active, User::admin)
			.containsExactly(true, false);
		assertThat(this.hasher.matches(password, this.users.findById(userId).block(WAIT).passwordHash())).isTrue();

		this.driver.findElement(By.id("toggle-active")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-title")));
		this.driver.findElement(By.id("confirm")).click();
		awaitTitle(username);
		assertThat(this.driver.findElement(By.id("flash")).getText()).contains("is inactive");
		assertThat(this.users.findById(userId).block(WAIT).active()).isFalse();
	}

	@Test
	void adminEditsAClientsNameAndSeesItOnItsPage() throws Exception {
		User admin = registerAdmin();
		RegisteredClient client = registerClient(uniqueId("editable"), GrantType.CLIENT_CREDENTIALS);
		this.driver.get(gateway() + "/admin/clients/" + client.id());
		awaitLoginPage();
		signIn(admin.username());
		awaitTitle(client.name());
		this.driver.findElement(By.id("edit-client")).click();
		awaitTitle("Edit " + client.name());

		// a refusal of the API comes back next to its field, with what was typed kept
		this.driver.findElement(By.id("name")).clear();
		this.driver.findElement(By.id("save-client")).click();
		// the answer has the same title as the form it replaces: wait for what only the answer has
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error-name")));
		awaitTitle("Edit " + client.name());
		assertThat(this.driver.findElement(By.id("error-name")).getText()).isEqualTo("must not be blank");
		assertThat(this.driver.findElement(By.id("grant-client-credentials")).isSelected()).isTrue();

		String renamed = "Renamed job " + uniqueId("x").substring(2, 10);
		this.driver.findElement(By.id("name")).sendKeys(renamed);
		screenshot("admin-client-edit.png");
		screenshotAtPhoneWidth("admin-client-edit-390");
		this.driver.findElement(By.id("save-client")).click();
		awaitTitle(renamed);
		assertThat(this.driver.findElement(By.id("page-title")).getText()).isEqualTo(renamed);
		assertThat(this.driver.findElement(By.id("flash")).getText()).contains("Saved client");
		RegisteredClient saved = this.clients.findById(client.id()).block(WAIT);
		assertThat(saved.name()).isEqualTo(renamed);
		assertThat(saved.grantTypes()).isEqualTo(client.grantTypes());
		assertThat(saved.secretHash()).as("the secret is kept").isEqualTo(client.secretHash());
	}

	@Test
	void adminWithdrawsAUsersConsentAndRevokesTheirPendingCode() throws Exception {
		User admin = registerAdmin();
		User user = registerUser(uniqueId("consenting"), true);
		RegisteredClient client = registerClient(uniqueId("web"), GrantType.AUTHORIZATION_CODE);
		this.consents.save(new Consent(client.id(), user.id(), Set.of("profile"), Instant.now())).block(WAIT);
		String codeHash = TokenHashing.sha256Hex(uniqueId("code"));
		Instant now = Instant.now();
		this.codes.issue(codeHash, new AuthorizationCode(client.id(), user.id(), "https://app.example/callback",
				Set.of("profile"), null, null, now, now.plus(Duration.ofMinutes(10))))
			.block(WAIT);

		this.driver.get(gateway() + "/admin/users/" + user.id());
		awaitLoginPage();
		signIn(admin.username());
		awaitTitle(user.username());
		WebElement consent = this.driver.findElement(By.cssSelector("#consents tr[data-client='" + client.id() + "']"));
		assertThat(consent.getText()).contains(client.id(), "profile");
		screenshotAtPhoneWidth("admin-user-consents-390");
		consent = this.driver.findElement(By.cssSelector("#consents tr[data-client='" + client.id() + "']"));
		consent.findElement(By.cssSelector("a.withdraw")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-title")));
		assertThat(this.consents.find(client.id(), user.id()).blockOptional(WAIT)).as("not before confirming")
			.isPresent();
		this.driver.findElement(By.id("confirm")).click();
		awaitTitle(user.username());
		assertThat(this.driver.findElement(By.id("flash")).getText()).contains("Withdrew the consent");
		assertThat(this.driver.findElements(By.cssSelector("#consents tr[data-client='" + client.id() + "']"))).isEmpty();
		assertThat(this.consents.find(client.id(), user.id()).blockOptional(WAIT)).isEmpty();

		// the pending code is listed, and revoked after confirming
		this.driver.findElement(By.id("nav-codes")).click();
		awaitTitle("Codes");
		WebElement row = this.driver.findElement(By.cssSelector("tr[data-code='" + codeHash + "']"));
		assertThat(row.getText()).contains(client.name(), user.username(), "https://app.example/callback");
		screenshot("admin-codes.png");
		screenshotAtPhoneWidth("admin-codes-390");
		this.driver.findElement(By.cssSelector("tr[data-code='" + codeHash + "'] a.revoke")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-title")));
		this.driver.findElement(By.id("confirm")).click();
		awaitTitle("Codes");
		assertThat(this.driver.findElement(By.id("flash")).getText()).contains("Revoked the authorization code");
		assertThat(this.driver.findElements(By.cssSelector("tr[data-code='" + codeHash + "']"))).isEmpty();
		assertThat(this.codes.consume(codeHash).blockOptional(WAIT)).as("no longer exchangeable").isEmpty();
	}

	@Test
	void adminPagesWithoutSigningInSendToTheLoginPage() {
		this.http.get()
			.uri("/admin/clients")
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.location("/login");
		this.driver.get(gateway() + "/admin");
		awaitLoginPage();
	}

	@Test
	void signedInUserWhoIsNotAnAdministratorGets403() throws IOException {
		User user = registerUser(uniqueId("mallory"), true);
		String session = signInWithoutBrowser(user.username(), user.username() + "-password");
		this.http.get()
			.uri("/admin")
			.cookie("SESSION", session)
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML);
		this.http.post()
			.uri("/admin/clients")
			.cookie("SESSION", session)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form("name", "nope", "kind", "client_credentials")))
			.exchange()
			.expectStatus()
			.isForbidden();

		this.driver.get(gateway() + "/admin");
		awaitLoginPage();
		signIn(user.username());
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("forbidden-title")));
		screenshot("admin-forbidden.png");
	}

	@Test
	void theAdminApiStaysStatelessWithBasic() {
		User admin = registerAdmin();
		this.http.get()
			.uri("/admin/api/clients")
			.header(HttpHeaders.AUTHORIZATION, basic(admin.username(), admin.username() + "-password"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE);
		this.http.get().uri("/admin/api/clients").exchange().expectStatus().isUnauthorized();
	}

	// --- helpers

	private User registerAdmin() {
		String username = uniqueId("admin");
		return this.users.save(new User(uniqueId("user"), username, this.hasher.hash(username + "-password"), true, true))
			.block(WAIT);
	}

	/** Signs in through the login form with a plain HTTP client; returns the new session's cookie value. */
	private String signInWithoutBrowser(String username, String password) {
		return PageSession.signIn(this.http, username, password).sessionId();
	}

	private WebTestClient.ResponseSpec callApi(String accessToken) {
		return this.http.get()
			.uri("/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
			.exchange();
	}

	private void awaitLoginPage() {
		this.wait.until(ExpectedConditions.titleIs("Sign in · Portcullis"));
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
	}

	private void awaitTitle(String title) {
		try {
			this.wait.until(ExpectedConditions.titleIs(title + " · Portcullis admin"));
		}
		catch (org.openqa.selenium.TimeoutException ex) {
			throw new AssertionError("Expected the page '" + title + "' at " + this.driver.getCurrentUrl() + ", got:\n"
					+ this.driver.getPageSource(), ex);
		}
	}

	private void signIn(String username) {
		this.driver.findElement(By.id("username")).sendKeys(username);
		this.driver.findElement(By.id("password")).sendKeys(username + "-password");
		this.driver.findElement(By.id("sign-in")).click();
	}

	private void screenshot(String name) throws IOException {
		this.browser.screenshot(name);
	}

	private void screenshotAtPhoneWidth(String name) throws IOException {
		this.browser.screenshotAtPhoneWidth(name);
	}

}
