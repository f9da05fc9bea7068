package dev.portcullis.web.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients and users lists in the browser (issue 13, "sortable, filterable lists with a page size and clear
 * search"): a column header sorts, a second click reverses, the pages of a sorted, searched list hold every item once,
 * the page size is a choice, and "Clear search" keeps the order.
 */
class AdminListsBrowserTests extends AdminBrowserTestSupport {

	@Test
	void theClientListSortsByNameBothWaysAndPagesKeepTheSearchTheOrderAndTheSize() {
		User admin = registerAdmin();
		String tag = "lst" + uniqueId("").substring(1, 9);
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 23; i++) {
			names.add("Test client " + registerClient(tag + "-" + String.format("%02d", i), GrantType.CLIENT_CREDENTIALS).id());
		}
		openSignedIn("/admin/clients?search=" + tag, admin, "Clients");
		assertThat(byId("sort-name").findElement(By.xpath("..")).getAttribute("aria-sort")).isEqualTo("ascending");
		assertThat(column("clients", 1)).containsExactlyElementsOf(names.subList(0, 20));

		clickAndAwait("sort-name", "Clients");
		assertThat(byId("sort-name").findElement(By.xpath("..")).getAttribute("aria-sort")).isEqualTo("descending");
		List<String> descending = names.stream().sorted(Comparator.reverseOrder()).toList();
		List<String> seen = new ArrayList<>(column("clients", 1));
		assertThat(seen).hasSize(20);
		clickNext();
		assertThat(this.driver.getCurrentUrl()).contains("search=" + tag).contains("sort=name").contains("dir=desc");
		seen.addAll(column("clients", 1));
		assertThat(seen).containsExactlyElementsOf(descending);

		clickAndAwait("size-50", "Clients");
		assertThat(column("clients", 1)).containsExactlyElementsOf(descending);
		assertThat(byId("size-50").getTagName()).isEqualTo("strong");
		assertThat(this.driver.findElements(By.cssSelector("a[rel=next]"))).isEmpty();

		clickAndAwait("clear-search", "Clients");
		assertThat(byId("search").getAttribute("value")).isEmpty();
		assertThat(this.driver.getCurrentUrl()).doesNotContain("search=").contains("dir=desc").contains("size=50");
		assertThat(this.driver.findElements(By.id("clear-search"))).isEmpty();
	}

	@Test
	void theUserListSortsByStatusAndRoleAndAPageSizeAboveTheLargestIsCapped() {
		User admin = registerAdmin();
		String tag = "lst" + uniqueId("").substring(1, 9);
		User active = registerUser(tag + "-a", true);
		User inactive = registerUser(tag + "-b", false);
		User administrator = this.users
			.save(new User(uniqueId("user"), tag + "-c", this.hasher.hash("x-password"), true, true))
			.block(WAIT);
		openSignedIn("/admin/users?search=" + tag, admin, "Users");
		assertThat(column("users", 1)).containsExactly(active.username(), inactive.username(), administrator.username());

		clickAndAwait("sort-active", "Users");
		assertThat(column("users", 1)).containsExactly(active.username(), administrator.username(), inactive.username());
		clickAndAwait("sort-active", "Users");
		assertThat(column("users", 1)).containsExactly(inactive.username(), active.username(), administrator.username());
		clickAndAwait("sort-admin", "Users");
		assertThat(column("users", 1)).containsExactly(administrator.username(), active.username(), inactive.username());
		assertThat(byId("search").getAttribute("value")).isEqualTo(tag);

		open("/admin/users?search=" + tag + "&size=5000", "Users");
		assertThat(byId("size-100").getTagName()).isEqualTo("strong");
		this.driver.get(gateway() + "/admin/users?sort=password");
		awaitTitle("Cannot do that");
		assertThat(this.driver.findElement(By.tagName("main")).getText()).contains("sort must be one of username, active, admin");
	}

	private List<String> column(String table, int column) {
		return this.driver.findElements(By.cssSelector("#" + table + " tbody tr td:nth-child(" + column + ")"))
			.stream()
			.map(WebElement::getText)
			.toList();
	}

	private void clickNext() {
		clickToNextDocument(this.driver.findElement(By.cssSelector("a[rel=next]")));
		awaitTitle("Clients");
	}

}
