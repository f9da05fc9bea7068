package dev.portcullis.web.admin;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Tokens page (issue 13): every live token by default, latest-expiring first, with scopes, grant, relative expiry
 * and the refresh token's expiry; filtered by a client's name or id or by a username or id, and cleared again.
 */
class AdminTokensPageBrowserTests extends AdminBrowserTestSupport {

	@Test
	void everyLiveTokenIsListedByDefaultAndFilteredByClientNameOrUsername() {
		User admin = registerAdmin();
		User erin = registerUser(uniqueId("erin"), true);
		RegisteredClient sales = namedClient("Sales app", GrantType.PASSWORD);
		RegisteredClient reporting = namedClient("Reporting", GrantType.CLIENT_CREDENTIALS);
		String passwordJti = jti(form("grant_type", "password", "client_id", sales.id(), "client_secret",
				secretOf(sales.id()), "username", erin.username(), "password", erin.username() + "-password", "scope",
				"profile"));
		String serviceJti = jti(form("grant_type", "client_credentials", "client_id", reporting.id(), "client_secret",
				secretOf(reporting.id()), "scope", "profile"));

		openSignedIn("/admin/tokens", admin, "Tokens");
		assertThat(this.driver.findElements(By.id("clear-filter"))).as("nothing to clear").isEmpty();
		assertThat(this.driver.findElements(By.id("revoke-all"))).as("no 'revoke all' of every token").isEmpty();
		List<String> listed = this.driver.findElements(By.cssSelector("#tokens tbody tr"))
			.stream()
			.map((row) -> row.getAttribute("data-jti"))
			.toList();
		// a grant ends with its refresh token: the password grant's outlives the client_credentials access token
		assertThat(listed).as("the latest-expiring first").containsSubsequence(passwordJti, serviceJti);
		WebElement password = row(passwordJti);
		assertThat(password.findElement(By.cssSelector("td.grant")).getText()).isEqualTo("password");
		assertThat(password.findElement(By.cssSelector("td.scopes")).getText()).isEqualTo("profile");
		assertThat(password.findElement(By.cssSelector("td.expires .relative")).getText()).matches("in \\d+ (hours?|minutes?)");
		assertThat(password.findElement(By.cssSelector("td.refresh-expires time")).getAttribute("datetime")).isNotBlank();
		assertThat(password.findElement(By.cssSelector("td.refresh-expires .relative")).getText())
			.matches("in \\d+ (days?|weeks?|months?|hours?)");
		WebElement service = row(serviceJti);
		assertThat(service.findElement(By.cssSelector("td.refresh-expires")).getText()).isEqualTo("no refresh token");
		assertThat(service.findElement(By.cssSelector("a.client")).getText()).isEqualTo(reporting.name());

		// a client's name, as people type it (any case)
		byId("filter-client").sendKeys(sales.name().toUpperCase());
		clickAndAwait("filter", "Tokens");
		assertThat(jtis()).containsExactly(passwordJti);
		assertThat(byId("revoke-all").isDisplayed()).isTrue();
		clickAndAwait("clear-filter", "Tokens");
		assertThat(byId("filter-client").getAttribute("value")).isEmpty();
		assertThat(jtis()).contains(passwordJti, serviceJti);

		// a username
		byId("filter-user").sendKeys(erin.username());
		clickAndAwait("filter", "Tokens");
		assertThat(jtis()).containsExactly(passwordJti);

		// and ids still work, as links give them
		open("/admin/tokens?clientId=" + reporting.id(), "Tokens");
		assertThat(jtis()).containsExactly(serviceJti);
	}

	@Test
	void aClientNameTwoClientsShareAsksForTheId() {
		User admin = registerAdmin();
		String shared = "Twin " + UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < 2; i++) {
			String id = UUID.randomUUID().toString();
			this.clients.save(new RegisteredClient(id, shared, this.hasher.hash(secretOf(id)), true,
					EnumSet.of(GrantType.CLIENT_CREDENTIALS), null, List.of(), Set.of())).block(WAIT);
		}
		openSignedIn("/admin/tokens?clientId=" + shared.replace(' ', '+'), admin, "Tokens");
		assertThat(this.driver.findElement(By.cssSelector("[role=alert]")).getText())
			.isEqualTo("clientId names several clients called '" + shared + "': give the client id");
		assertThat(this.driver.findElements(By.id("tokens"))).isEmpty();
	}

	private RegisteredClient namedClient(String name, GrantType grant) {
		String id = UUID.randomUUID().toString();
		return this.clients.save(new RegisteredClient(id, name + " " + id.substring(0, 8), this.hasher.hash(secretOf(id)),
				true, EnumSet.of(grant), null, List.of(), Set.of("profile")))
			.block(WAIT);
	}

	private String jti(org.springframework.util.MultiValueMap<String, String> request) {
		try {
			String accessToken = (String) parse(
					postForm(request).expectStatus().isOk().expectBody().returnResult().getResponseBody())
				.get("access_token");
			return (String) verifiedClaims(accessToken).get("jti");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private WebElement row(String jti) {
		return this.driver.findElement(By.cssSelector("#tokens tr[data-jti='" + jti + "']"));
	}

	private List<String> jtis() {
		return this.driver.findElements(By.cssSelector("#tokens tbody tr"))
			.stream()
			.map((row) -> row.getAttribute("data-jti"))
			.toList();
	}

}
