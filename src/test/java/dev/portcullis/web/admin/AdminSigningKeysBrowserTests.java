package dev.portcullis.web.admin;

import java.util.List;

import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Signing keys page: the keys with their states and dates; creating the next key (after a confirmation), which is
 * then published but refused promotion until caches can know it (the gateway's default: 10 minutes), and retiring it.
 * Nothing here changes the active key, which the other tests of the shared gateway sign with.
 */
class AdminSigningKeysBrowserTests extends AdminBrowserTestSupport {

	@Autowired
	private CurrentSigningKeys keys;

	@Test
	void nextKeyIsCreatedPublishedRefusedPromotionBeforeCachesKnowItAndRetired() throws Exception {
		User admin = registerAdmin();
		String active = this.keys.current().signer().kid();

		openSignedIn("/admin/signing-keys", admin, "Signing keys");
		assertThat(byId("nav-signing-keys").getAttribute("aria-current")).isEqualTo("page");
		assertThat(row(active).getAttribute("data-state")).isEqualTo("active");
		assertThat(row(active).findElement(By.cssSelector("td.algorithm")).getText()).isEqualTo("RS256");
		assertFitsAndScreenshot("admin-signing-keys");

		clickAndAwait("create-next", "Confirm");
		this.driver.findElement(By.id("confirm")).click();
		awaitTitle("Signing keys");
		assertThat(flash()).startsWith("Created the next key").contains("can be promoted from");
		WebElement next = this.driver.findElements(By.cssSelector("#signing-keys tbody tr"))
			.stream()
			.filter((row) -> "next".equals(row.getAttribute("data-state")))
			.findFirst()
			.orElseThrow();
		String nextKid = next.getAttribute("data-kid");
		assertThat(next.findElement(By.cssSelector(".promotable-at")).getText()).startsWith(", promotable from");
		assertThat(this.driver.findElements(By.id("create-next"))).as("one next key at a time").isEmpty();
		assertThat(this.keys.current().published()).as("published at once").contains(nextKid);

		next.findElement(By.cssSelector("a.promote")).click();
		this.wait.until((driver) -> driver.findElements(By.id("confirm-title")).size() == 1);
		this.driver.findElement(By.id("confirm")).click();
		awaitTitle("Signing keys");
		assertThat(flash()).contains("cannot be promoted before");
		assertThat(this.keys.current().signer().kid()).isEqualTo(active);

		row(nextKid).findElement(By.cssSelector("a.retire")).click();
		this.wait.until((driver) -> driver.findElements(By.id("confirm-title")).size() == 1);
		assertThat(byId("confirm-title").getText()).isEqualTo("Retire the key " + nextKid + " now?");
		this.driver.findElement(By.id("confirm")).click();
		awaitTitle("Signing keys");
		assertThat(flash()).isEqualTo("Retired the key " + nextKid + "; its tokens are refused.");
		assertThat(kids()).doesNotContain(nextKid).contains(active);
		assertThat(this.keys.current().published()).doesNotContain(nextKid);
	}

	private WebElement row(String kid) {
		return this.driver.findElement(By.cssSelector("#signing-keys tbody tr[data-kid='" + kid + "']"));
	}

	private List<String> kids() {
		return this.driver.findElements(By.cssSelector("#signing-keys tbody tr"))
			.stream()
			.map((row) -> row.getAttribute("data-kid"))
			.toList();
	}

}
