package dev.portcullis.web.admin;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's page (issue 13): how many live tokens the user has, "Log out everywhere" after a confirmation, and the
 * client_credentials clients acting as the user, as links.
 */
class AdminUserPageBrowserTests extends AdminBrowserTestSupport {

	@Test
	void aUserIsLoggedOutEverywhereAfterConfirmingAndThePageNamesTheClientsActingAsThem() {
		User admin = registerAdmin();
		User frank = registerUser(uniqueId("frank"), true);
		RegisteredClient web = namedClient("CRM web", GrantType.PASSWORD, null);
		RegisteredClient export = namedClient("Nightly export", GrantType.CLIENT_CREDENTIALS, frank.id());
		String first = passwordToken(web, frank);
		String second = passwordToken(web, frank);

		openSignedIn("/admin/users/" + frank.id(), admin, frank.username());
		assertThat(byId("user-tokens").getText()).isEqualTo("2 live tokens →");
		List<WebElement> acting = this.driver.findElements(By.cssSelector("#acting-clients a.client"));
		assertThat(acting).extracting(WebElement::getText).containsExactly(export.name());
		assertThat(acting.get(0).getAttribute("href")).endsWith("/admin/clients/" + export.id());

		clickAndAwait("logout-everywhere", "Confirm");
		assertThat(byId("confirm-title").getText()).isEqualTo("Log '" + frank.username() + "' out everywhere?");
		callApi(first).expectStatus().isOk();
		clickAndAwait("confirm", frank.username());
		assertThat(flash()).isEqualTo("Logged out everywhere: revoked 2 grants.");
		assertThat(byId("user-tokens").getText()).isEqualTo("No live tokens");
		assertThat(this.driver.findElements(By.id("logout-everywhere"))).isEmpty();
		callApi(first).expectStatus().isUnauthorized();
		callApi(second).expectStatus().isUnauthorized();

		// the acting client's link leads to it
		this.driver.findElement(By.cssSelector("#acting-clients a.client")).click();
		awaitTitle(export.name());
	}

	@Test
	void aUserNoClientActsAsSaysSo() {
		User admin = registerAdmin();
		User grace = registerUser(uniqueId("grace"), true);
		openSignedIn("/admin/users/" + grace.id(), admin, grace.username());
		assertThat(byId("no-acting-clients").getText()).isEqualTo("No client acts as this user.");
		assertThat(byId("user-tokens").getText()).isEqualTo("No live tokens");
		open("/admin/users/" + grace.id() + "/logout", "Confirm");
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
	}

	private RegisteredClient namedClient(String name, GrantType grant, @Nullable String associatedUserId) {
		String id = UUID.randomUUID().toString();
		return this.clients.save(new RegisteredClient(id, name + " " + id.substring(0, 8), this.hasher.hash(secretOf(id)),
				true, EnumSet.of(grant), associatedUserId, List.of(), Set.of()))
			.block(WAIT);
	}

	private String passwordToken(RegisteredClient client, User user) {
		return (String) parse(postForm(form("grant_type", "password", "client_id", client.id(), "client_secret",
				secretOf(client.id()), "username", user.username(), "password", user.username() + "-password"))
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("access_token");
	}

	private WebTestClient.ResponseSpec callApi(String accessToken) {
		return this.http.get()
			.uri("/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
			.exchange();
	}

}
