package dev.portcullis.web.admin;

import java.util.Map;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console offers beyond its forms, in the browser: copy buttons that say "Copied", relative times beside
 * the absolute ones, field errors tied to their fields with the focus on the first, and a skip link. The script
 * that adds them comes from {@code /assets} under the pages' Content-Security-Policy, which refuses nothing.
 */
class AdminConsoleBasicsBrowserTests extends AdminBrowserTestSupport {

	@Test
	void theOneTimeSecretAndTheClientIdHaveCopyButtons() {
		User admin = registerAdmin();
		openSignedIn("/admin/clients/new", admin, "New client");
		String name = "Copy job " + uniqueId("x").substring(2, 10);
		byId("name").sendKeys(name);
		byId("kind-client-credentials").click();
		clickAndAwait("create-client", name);
		String secret = byId("client-secret").getText();
		this.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", gateway(), "permissions",
				java.util.List.of("clipboardReadWrite", "clipboardSanitizedWrite")));

		WebElement copySecret = this.driver.findElement(By.cssSelector("#client-secret + button.copy"));
		assertThat(copySecret.getText()).isEqualTo("Copy");
		assertThat(copySecret.getAttribute("aria-label")).isEqualTo("Copy the client secret");
		copySecret.click();
		this.wait.until((driver) -> "Copied".equals(copySecret.getText()));
		assertThat(clipboard()).isEqualTo(secret);

		WebElement copyId = this.driver.findElement(By.cssSelector("#client-id + button.copy"));
		copyId.click();
		this.wait.until((driver) -> "Copied".equals(copyId.getText()));
		assertThat(clipboard()).isEqualTo(byId("client-id").getText());
		assertNoContentSecurityPolicyRefusals();
	}

	@Test
	void tokenTimesSayHowLongAgoAndHowLongToGo() {
		User admin = registerAdmin();
		String clientId = uniqueId("timed");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);
		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secretOf(clientId)))
			.expectStatus()
			.isOk();
		openSignedIn("/admin/tokens?clientId=" + clientId, admin, "Tokens");
		WebElement row = this.driver.findElement(By.cssSelector("#tokens tbody tr"));
		assertThat(row.findElements(By.cssSelector("time + .relative"))).extracting(WebElement::getText)
			.hasSize(2)
			.satisfies((times) -> {
				assertThat(times.get(0)).matches("now|\\d+ seconds? ago");
				assertThat(times.get(1)).matches("in \\d+ (hours?|minutes?)");
			});
		assertThat(this.driver.findElement(By.cssSelector("#tokens thead")).getText()).contains("Expires (UTC)");
		assertNoContentSecurityPolicyRefusals();
	}

	@Test
	void aFieldErrorIsTiedToItsFieldWhichGetsTheFocus() {
		User admin = registerAdmin();
		openSignedIn("/admin/users/new", admin, "New user");
		byId("username").sendKeys(admin.username());
		clickAndAwait("create-user", "New user");
		WebElement username = byId("username");
		assertThat(username.getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(username.getAttribute("aria-describedby")).isEqualTo("error-username");
		assertThat(byId("error-username").getText()).isEqualTo("is already taken");
		assertThat(this.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("username");
		assertThat(byId("password").getAttribute("aria-invalid")).isNull();
	}

	@Test
	void theFirstTabReachesASkipLinkToTheContent() {
		openSignedIn("/admin/clients", registerAdmin(), "Clients");
		new Actions(this.driver).sendKeys(Keys.TAB).perform();
		WebElement focused = this.driver.switchTo().activeElement();
		assertThat(focused.getText()).isEqualTo("Skip to the content");
		assertThat(focused.isDisplayed()).isTrue();
		focused.sendKeys(Keys.ENTER);
		assertThat(this.driver.getCurrentUrl()).endsWith("#main");
		assertThat(this.driver.switchTo().activeElement().getTagName()).isEqualTo("main");
	}

	private String clipboard() {
		return (String) this.driver.executeAsyncScript(
				"const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, (e) => done('failed: ' + e));");
	}

	private void assertNoContentSecurityPolicyRefusals() {
		assertThat(this.driver.manage().logs().get(LogType.BROWSER).getAll()).map(LogEntry::getMessage)
			.noneMatch((message) -> message.contains("Content Security Policy"));
	}

}
