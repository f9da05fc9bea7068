package dev.portcullis.web.admin;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.grant.TokenIssuer;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console bugs of issue 13, each shown as an administrator sees it in the browser: what the page says and
 * does now. (Bug 5, the layout, is {@link AdminLayoutBrowserTests}.) Bug 9's changes go through a confirmation
 * page that changes nothing until its button is pressed, with or without JavaScript.
 */
class AdminConsoleBugsBrowserTests extends AdminBrowserTestSupport {

	@Autowired
	private TokenIssuer tokenIssuer;


	/** Bug 1: a public client's "Rotate secret" says what it does to the client, and asks first. */
	@Test
	void givingAPublicClientASecretSaysItBecomesConfidentialAndAsksFirst() {
		User admin = registerAdmin();
		String id = uniqueId("spa");
		RegisteredClient client = this.clients.save(new RegisteredClient(id, "Single-page app " + id, null, false,
				Set.of(GrantType.AUTHORIZATION_CODE), null, List.of("https://spa.example/cb"), Set.of()))
			.block(WAIT);
		openSignedIn("/admin/clients/" + id, admin, client.name());
		assertThat(byId("public-client-warning").getText()).contains("fails with 401");
		byId("rotate-secret").click();
		awaitConfirmation();
		assertThat(byId("confirm-title").getText()).contains("make it confidential");
		assertThat(this.driver.findElement(By.tagName("main")).getText()).contains("every code exchange fails with 401");
		assertThat(this.clients.findById(id).block(WAIT).confidential()).as("nothing before confirming").isFalse();
		byId("confirm").click();
		awaitTitle(client.name());
		assertThat(byId("client-secret").getText()).matches("[0-9a-f]{64}");
		assertThat(this.driver.findElement(By.cssSelector("dl.facts")).getText()).contains("Confidential (has a secret)");
		assertThat(this.clients.findById(id).block(WAIT).confidential()).isTrue();
	}

	/** Bug 2: the new-client form says what an empty scope list means, as the edit form does. */
	@Test
	void theNewClientFormSaysNoScopesMeansNone() {
		openSignedIn("/admin/clients/new", registerAdmin(), "New client");
		String label = this.driver.findElement(By.cssSelector("label[for='scopes']")).getText();
		assertThat(label).contains("empty for none").doesNotContain("all");
	}

	/** Bug 3: clearing a lifetime on the edit page returns the client to the gateway's default. */
	@Test
	void clearingALifetimeReturnsTheClientToTheDefault() {
		User admin = registerAdmin();
		String id = uniqueId("ttl");
		RegisteredClient client = registerClient(id, Set.of(GrantType.CLIENT_CREDENTIALS), null, Set.of(),
				Duration.ofMinutes(5));
		openSignedIn("/admin/clients/" + id + "/edit", admin, "Edit " + client.name());
		assertThat(byId("accessTokenTtl").getAttribute("value")).isEqualTo("PT5M");
		byId("accessTokenTtl").clear();
		byId("save-client").click();
		awaitTitle(client.name());
		RegisteredClient saved = this.clients.findById(id).block(WAIT);
		assertThat(saved.tokenSettings().accessTokenTtl()).isNull();
		// the value in effect, not just "default"
		assertThat(this.driver.findElement(By.cssSelector("dl.facts")).getText()).contains("Access token lifetime\n"
				+ this.tokenIssuer.accessTokenTtl(saved) + " (the gateway's default)");
	}

	/** Bug 4: redirect URIs typed into a client-credentials client are refused beside the field, not dropped. */
	@Test
	void redirectUrisOnAClientCredentialsClientAreRefusedBesideTheField() {
		openSignedIn("/admin/clients/new", registerAdmin(), "New client");
		String name = "Nightly job " + uniqueId("x").substring(2, 10);
		byId("name").sendKeys(name);
		byId("kind-client-credentials").click();
		byId("redirectUris").sendKeys("https://app.example/cb");
		clickAndAwait("create-client", "New client");
		assertThat(this.driver.findElement(By.cssSelector("#redirectUris + .field-error")).getText())
			.contains("leave this empty");
		assertThat(byId("redirectUris").getAttribute("value")).isEqualTo("https://app.example/cb");
		open("/admin/clients?search=" + name.replace(' ', '+'), "Clients");
		assertThat(this.driver.findElements(By.id("clients"))).as("no client was created").isEmpty();
	}

	/** Bug 6: the token filter takes a username. */
	@Test
	void theTokenFilterFindsAUsersTokensByUsername() {
		User admin = registerAdmin();
		User bob = registerUser(uniqueId("bob"), true);
		String clientId = uniqueId("app");
		registerClient(clientId, GrantType.PASSWORD);
		postForm(form("grant_type", "password", "client_id", clientId, "client_secret", secretOf(clientId), "username",
				bob.username(), "password", bob.username() + "-password"))
			.expectStatus()
			.isOk();
		openSignedIn("/admin/tokens", admin, "Tokens");
		byId("filter-user").sendKeys(bob.username());
		byId("filter").click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("tokens")));
		assertThat(byId("tokens").getText()).contains(clientId, "password");
		assertThat(this.driver.findElements(By.id("no-tokens"))).isEmpty();
	}

	/** Bug 7 (and 9): making a user an administrator asks first, and the audit log says what changed. */
	@Test
	void makingAnAdministratorAsksFirstAndTheAuditLogSaysSo() {
		User admin = registerAdmin();
		User frank = registerUser(uniqueId("frank"), true);
		openSignedIn("/admin/users/" + frank.id(), admin, frank.username());
		byId("toggle-admin").click();
		awaitConfirmation();
		assertThat(byId("confirm-title").getText()).isEqualTo("Make '" + frank.username() + "' an administrator?");
		assertThat(this.users.findById(frank.id()).block(WAIT).admin()).as("nothing before confirming").isFalse();
		byId("confirm").click();
		awaitTitle(frank.username());
		assertThat(flash()).contains("an administrator");
		assertThat(this.users.findById(frank.id()).block(WAIT).admin()).isTrue();
		open("/admin/audit", "Audit log");
		assertThat(byId("audit").getText()).contains("Updated user '" + frank.username() + "': made an administrator");

		// and back, again after confirming
		open("/admin/users/" + frank.id(), frank.username());
		byId("toggle-admin").click();
		awaitConfirmation();
		assertThat(this.users.findById(frank.id()).block(WAIT).admin()).isTrue();
		byId("confirm").click();
		awaitTitle(frank.username());
		assertThat(this.users.findById(frank.id()).block(WAIT).admin()).isFalse();
	}

	/** Bug 8: a signed-in user who is no administrator can sign out from "Not allowed", and sign in as one. */
	@Test
	void aNonAdministratorCanSignOutFromNotAllowedAndSwitchUser() {
		User admin = registerAdmin();
		User mallory = registerUser(uniqueId("mallory"), true);
		this.driver.get(gateway() + "/admin");
		this.wait.until(ExpectedConditions.titleIs("Sign in · Portcullis"));
		byId("username").sendKeys(mallory.username());
		byId("password").sendKeys(mallory.username() + "-password");
		byId("sign-in").click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("forbidden-title")));
		this.driver.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
		openSignedIn("/admin", admin, "Overview");
	}

	/** Bug 9: rotating a confidential client's secret asks first. */
	@Test
	void rotatingASecretAsksFirst() {
		User admin = registerAdmin();
		String id = uniqueId("rotated");
		RegisteredClient client = registerClient(id, GrantType.CLIENT_CREDENTIALS);
		openSignedIn("/admin/clients/" + id, admin, client.name());
		byId("rotate-secret").click();
		awaitConfirmation();
		assertThat(byId("confirm-title").getText()).isEqualTo("Rotate the secret of '" + client.name() + "'?");
		assertThat(this.clients.findById(id).block(WAIT).secretHash()).isEqualTo(client.secretHash());
		byId("new-secret").sendKeys("a typed secret of some length");
		byId("confirm").click();
		awaitTitle(client.name());
		assertThat(byId("client-secret").getText()).isEqualTo("a typed secret of some length");
		assertThat(this.hasher.matches("a typed secret of some length", this.clients.findById(id).block(WAIT).secretHash()))
			.isTrue();
	}

	/** Bug 9: resetting a password asks first, on a page that takes the new password. */
	@Test
	void resettingAPasswordAsksFirst() {
		User admin = registerAdmin();
		User user = registerUser(uniqueId("forgetful"), true);
		openSignedIn("/admin/users/" + user.id(), admin, user.username());
		byId("reset-password").click();
		awaitConfirmation();
		assertThat(byId("confirm-title").getText()).isEqualTo("Reset the password of '" + user.username() + "'?");
		assertThat(this.users.findById(user.id()).block(WAIT).passwordHash()).isEqualTo(user.passwordHash());
		byId("new-password").sendKeys("a new password");
		byId("confirm").click();
		awaitTitle(user.username());
		assertThat(flash()).contains("The password was reset");
		assertThat(this.hasher.matches("a new password", this.users.findById(user.id()).block(WAIT).passwordHash()))
			.isTrue();
	}

	/** Bugs 9 and 10: deactivating asks first, and then names the clients that act as the user and now fail. */
	@Test
	void deactivatingAUserAsksFirstAndNamesTheClientsThatNowFail() {
		User admin = registerAdmin();
		User clerk = registerUser(uniqueId("clerk"), true);
		String clientId = uniqueId("sync");
		RegisteredClient sync = registerClient(clientId, Set.of(GrantType.CLIENT_CREDENTIALS), clerk.id(), Set.of(),
				null);
		openSignedIn("/admin/users/" + clerk.id(), admin, clerk.username());
		byId("toggle-active").click();
		awaitConfirmation();
		assertThat(byId("confirm-title").getText()).isEqualTo("Deactivate '" + clerk.username() + "'?");
		assertThat(this.driver.findElement(By.tagName("main")).getText()).contains("Clients that act as this user");
		assertThat(this.users.findById(clerk.id()).block(WAIT).active()).as("nothing before confirming").isTrue();
		byId("confirm").click();
		awaitTitle(clerk.username());
		assertThat(flash()).contains("is inactive")
			.contains("These clients act as this user and get no tokens until it is active again: " + sync.name());
		assertThat(this.users.findById(clerk.id()).block(WAIT).active()).isFalse();
	}

	private void awaitConfirmation() {
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-title")));
	}

}
