package dev.portcullis.web.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.TokenHashing;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every admin page at 1280×800 and 390×844, with the data that used to widen or clip them (issue 13, bug 5): an
 * 80-character token id in a flash message, long redirect URIs, fifty long scopes. No page scrolls sideways, and
 * row actions (Revoke, Withdraw) stay in sight. Saves the screenshots of every page at both widths as
 * {@code target/screenshots/<page>-1280x800.png} and {@code <page>-390x844.png}.
 */
class AdminLayoutBrowserTests extends AdminBrowserTestSupport {

	@Autowired
	private ConsentStore consents;

	@Autowired
	private AuthorizationCodeStore codes;

	@Test
	void everyAdminPageFitsAt1280x800And390x844WithDataThatUsedToOverflow() throws Exception {
		User admin = registerAdmin();
		User user = registerUser(uniqueId("wide-user"), true);
		String longUri = "https://a-rather-long-host-name.apps.example/oauth2/callback/"
				+ "x".repeat(120) + "?tenant=" + "0123456789abcdef".repeat(4);
		List<String> redirectUris = IntStream.range(0, 20).mapToObj((i) -> longUri + i).toList();
		List<String> scopes = IntStream.range(0, 50)
			.mapToObj((i) -> "accounts.read.with.a.rather.long.scope.name.number." + String.format("%012d", i))
			.toList();
		String name = "Customer portal " + uniqueId("w").substring(2, 10);
		String created = new String(adminApiSend(admin, "POST", "/admin/api/clients",
				"{\"name\":\"" + name + "\",\"grantTypes\":[\"authorization_code\"],\"redirectUris\":"
						+ json(redirectUris) + ",\"scopes\":" + json(scopes) + "}")
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody());
		String clientId = (String) parse(created.getBytes()).get("id");
		// an edit whose audit detail lists many changed scopes
		adminApiSend(admin, "PATCH", "/admin/api/clients/" + clientId,
				"{\"scopes\":" + json(scopes.stream().map((scope) -> scope + "x").toList()) + "}")
			.expectStatus()
			.isOk();
		this.consents.save(new Consent(clientId, user.id(), Set.copyOf(scopes.subList(0, 20)), Instant.now()))
			.block(WAIT);
		String codeHash = TokenHashing.sha256Hex(uniqueId("code"));
		Instant now = Instant.now();
		this.codes.issue(codeHash, new AuthorizationCode(clientId, user.id(), longUri, Set.copyOf(scopes.subList(0, 5)),
				null, null, now, now.plus(Duration.ofMinutes(10))))
			.block(WAIT);
		String serviceId = uniqueId("svc");
		registerClient(serviceId, Set.of(GrantType.CLIENT_CREDENTIALS), user.id(), Set.of(), null);
		postForm(form("grant_type", "client_credentials", "client_id", serviceId, "client_secret", secretOf(serviceId)))
			.expectStatus()
			.isOk();

		openSignedIn("/admin", admin, "Overview");
		assertFitsAndScreenshot("overview");
		open("/admin/clients?search=" + name.replace(' ', '+'), "Clients");
		assertThat(byId("clients").getText()).contains(name);
		assertFitsAndScreenshot("clients");
		open("/admin/clients/" + clientId, name);
		assertFitsAndScreenshot("client");
		open("/admin/clients/" + clientId + "/edit", "Edit " + name);
		assertFitsAndScreenshot("client-edit");
		open("/admin/clients/new", "New client");
		clickAndAwait("create-client", "New client");
		assertFitsAndScreenshot("client-new");
		open("/admin/clients/" + clientId + "/delete", "Confirm");
		assertFitsAndScreenshot("confirm");

		open("/admin/users?search=" + user.username(), "Users");
		assertFitsAndScreenshot("users");
		open("/admin/users/" + user.id(), user.username());
		assertThat(this.driver.findElements(By.cssSelector("#consents tr[data-client='" + clientId + "']"))).hasSize(1);
		assertFitsAndScreenshot("user");
		open("/admin/users/new", "New user");
		assertFitsAndScreenshot("user-new");

		open("/admin/codes", "Codes");
		assertThat(this.driver.findElements(By.cssSelector("tr[data-code='" + codeHash + "']"))).hasSize(1);
		assertFitsAndScreenshot("codes");

		// the token list, then a revoke whose notice carries the 80-character jti
		open("/admin/tokens?clientId=" + serviceId, "Tokens");
		assertFitsAndScreenshot("tokens");
		this.driver.findElement(By.cssSelector("#tokens a.revoke")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-title")));
		byId("confirm").click();
		awaitTitle("Tokens");
		assertThat(flash()).matches("Revoked the token [0-9a-f]{80}\\.");
		assertFitsAndScreenshot("tokens-revoked");

		open("/admin/audit", "Audit log");
		assertFitsAndScreenshot("audit");
		this.driver.get(gateway() + "/admin/clients/" + uniqueId("gone"));
		awaitTitle("Cannot do that");
		assertFitsAndScreenshot("error");
	}

	private static String json(List<String> values) {
		return values.stream().map((value) -> "\"" + value + "\"").collect(Collectors.joining(",", "[", "]"));
	}

}
