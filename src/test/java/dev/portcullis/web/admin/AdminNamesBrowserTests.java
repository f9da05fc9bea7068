package dev.portcullis.web.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients and users by their names, as links, where the pages used to show their ids (issue 13): the Tokens and
 * Codes pages, a user's consents and a client's associated user.
 */
class AdminNamesBrowserTests extends AdminBrowserTestSupport {

	@Autowired
	private ConsentStore consents;

	@Autowired
	private AuthorizationCodeStore codes;

	@Test
	void tokensCodesConsentsAndTheAssociatedUserShowNamesAsLinks() throws Exception {
		User admin = registerAdmin();
		User carol = registerUser(uniqueId("carol"), true);
		RegisteredClient portal = namedClient("Billing portal", EnumSet.of(GrantType.PASSWORD), null);
		RegisteredClient sync = namedClient("Nightly sync", EnumSet.of(GrantType.CLIENT_CREDENTIALS), carol.id());
		String jti = passwordTokenJti(portal, carol);
		this.consents.save(new Consent(portal.id(), carol.id(), Set.of("profile"), Instant.now())).block(WAIT);
		String codeHash = TokenHashing.sha256Hex(uniqueId("code"));
		Instant now = Instant.now();
		this.codes.issue(codeHash, new AuthorizationCode(portal.id(), carol.id(), "https://app.example/cb",
				Set.of("profile"), null, null, now, now.plus(Duration.ofMinutes(10))))
			.block(WAIT);

		openSignedIn("/admin/tokens?userId=" + carol.username(), admin, "Tokens");
		WebElement token = this.driver.findElement(By.cssSelector("tr[data-jti='" + jti + "']"));
		assertLinks(token, portal, carol);
		token.findElement(By.cssSelector("a.client")).click();
		awaitTitle(portal.name());

		open("/admin/codes", "Codes");
		assertLinks(this.driver.findElement(By.cssSelector("tr[data-code='" + codeHash + "']")), portal, carol);

		open("/admin/users/" + carol.id(), carol.username());
		WebElement consent = this.driver.findElement(By.cssSelector("#consents tr[data-client='" + portal.id() + "']"));
		assertThat(consent.findElement(By.cssSelector("a.client")).getText()).isEqualTo(portal.name());

		open("/admin/clients/" + sync.id(), sync.name());
		WebElement associated = byId("associated-user").findElement(By.tagName("a"));
		assertThat(associated.getText()).isEqualTo(carol.username());
		clickAndAwait(associated, carol.username());
	}

	@Test
	void aDeletedClientIsShownByItsId() {
		User admin = registerAdmin();
		User dave = registerUser(uniqueId("dave"), true);
		RegisteredClient gone = namedClient("Retired app", EnumSet.of(GrantType.PASSWORD), null);
		String jti = passwordTokenJti(gone, dave);
		this.clients.deleteById(gone.id()).block(WAIT);
		openSignedIn("/admin/tokens?userId=" + dave.id(), admin, "Tokens");
		WebElement token = this.driver.findElement(By.cssSelector("tr[data-jti='" + jti + "']"));
		assertThat(token.findElement(By.cssSelector("a.client")).getText()).isEqualTo(gone.id());
		assertThat(token.findElement(By.cssSelector("a.user")).getText()).isEqualTo(dave.username());
	}

	/** A client whose id (a UUID, as the pages generate) says nothing of its name. */
	private RegisteredClient namedClient(String name, Set<GrantType> grants, @Nullable String associatedUserId) {
		String id = UUID.randomUUID().toString();
		return this.clients.save(new RegisteredClient(id, name + " " + id.substring(0, 8), this.hasher.hash(secretOf(id)),
				true, grants, associatedUserId, List.of(), Set.of()))
			.block(WAIT);
	}

	private String passwordTokenJti(RegisteredClient client, User user) {
		try {
			String accessToken = (String) parse(postForm(form("grant_type", "password", "client_id", client.id(),
					"client_secret", secretOf(client.id()), "username", user.username(), "password",
					user.username() + "-password"))
				.expectStatus()
				.isOk()
				.expectBody()
				.returnResult()
				.getResponseBody()).get("access_token");
			return (String) verifiedClaims(accessToken).get("jti");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assertLinks(WebElement row, RegisteredClient client, User user) {
		WebElement clientLink = row.findElement(By.cssSelector("a.client"));
		assertThat(clientLink.getText()).isEqualTo(client.name());
		assertThat(clientLink.getAttribute("href")).endsWith("/admin/clients/" + client.id());
		WebElement userLink = row.findElement(By.cssSelector("a.user"));
		assertThat(userLink.getText()).isEqualTo(user.username());
		assertThat(userLink.getAttribute("href")).endsWith("/admin/users/" + user.id());
		assertThat(row.getText()).doesNotContain(client.id(), user.id());
	}

	private void clickAndAwait(WebElement link, String title) {
		link.click();
		awaitTitle(title);
	}

}
