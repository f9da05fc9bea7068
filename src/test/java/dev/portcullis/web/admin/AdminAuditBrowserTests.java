package dev.portcullis.web.admin;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log filtered by actor, action, object and days (issue 13, "an audit log ... filterable by actor, action,
 * object and date, with objects as links"), on the page and at {@code GET /admin/api/audit}: users and clients by
 * name, linked while they exist; usernames and client names accepted in the filters; the filters kept by the pager.
 */
class AdminAuditBrowserTests extends AdminBrowserTestSupport {

	@Test
	void theAuditPageFiltersByObjectActorActionAndDaysAndNamesAndLinksWhatStillExists() {
		User admin = registerAdmin();
		String name = "Audited portal " + uniqueId("a").substring(2, 10);
		String clientId = createClient(admin, name);
		adminApiSend(admin, "PATCH", "/admin/api/clients/" + clientId, "{\"scopes\":[\"accounts.read\"]}").expectStatus()
			.isOk();
		String goneId = createClient(admin, name + " (deleted)");
		adminApiSend(admin, "DELETE", "/admin/api/clients/" + goneId, "{}").expectStatus().isNoContent();

		openSignedIn("/admin/audit", admin, "Audit log");
		byId("filter-object").sendKeys(name);
		clickAndAwait("filter", "Audit log");
		List<WebElement> rows = rows();
		assertThat(rows).extracting((row) -> cell(row, 3).getText()).containsExactly("client.updated", "client.created");
		WebElement object = rows.get(0).findElement(By.cssSelector("a.object"));
		assertThat(object.getText()).isEqualTo(name);
		assertThat(object.getAttribute("href")).endsWith("/admin/clients/" + clientId);
		WebElement actor = rows.get(0).findElement(By.cssSelector("a.actor"));
		assertThat(actor.getText()).isEqualTo(admin.username());
		assertThat(actor.getAttribute("href")).endsWith("/admin/users/" + admin.id());
		assertThat(byId("filter-object").getAttribute("value")).isEqualTo(name);

		// a deleted object: its id, and no link
		open("/admin/audit?object=" + goneId, "Audit log");
		assertThat(rows()).extracting((row) -> cell(row, 4).getText()).containsOnly(goneId);
		assertThat(this.driver.findElements(By.cssSelector("#audit a.object"))).isEmpty();

		// an actor by username, and an action by its first part
		open("/admin/audit?actor=" + admin.username() + "&action=client", "Audit log");
		assertThat(rows()).extracting((row) -> cell(row, 3).getText())
			.containsExactly("client.deleted", "client.created", "client.updated", "client.created");
		open("/admin/audit?actor=" + admin.username() + "&action=client.created", "Audit log");
		assertThat(rows()).hasSize(2);

		// days, in UTC and inclusive
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		open("/admin/audit?actor=" + admin.username() + "&from=" + today + "&to=" + today, "Audit log");
		assertThat(rows()).hasSize(4);
		open("/admin/audit?actor=" + admin.username() + "&from=" + today.plusDays(1), "Audit log");
		assertThat(byId("no-entries").getText()).isEqualTo("Nothing here.");
		open("/admin/audit?from=yesterday", "Audit log");
		assertThat(byId("filter-from").getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(byId("error-from").getText()).startsWith("must be a day");

		byId("clear-filter").click();
		awaitTitle("Audit log");
		assertThat(this.driver.getCurrentUrl()).endsWith("/admin/audit");
	}

	@Test
	void theAuditApiTakesTheSameFiltersPagesWhatMatchesAndNamesABadDay() {
		User admin = registerAdmin();
		String name = "Api audited " + uniqueId("a").substring(2, 10);
		String clientId = createClient(admin, name);
		for (int i = 0; i < 3; i++) {
			adminApiSend(admin, "PATCH", "/admin/api/clients/" + clientId, "{\"scopes\":[\"s" + i + "\"]}").expectStatus()
				.isOk();
		}
		String today = LocalDate.now(ZoneOffset.UTC).toString();
		adminApiGet(admin, "/admin/api/audit?object=" + clientId + "&action=client.updated&page=1&size=2&from=" + today)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.total")
			.isEqualTo(3)
			.jsonPath("$.items.length()")
			.isEqualTo(1)
			.jsonPath("$.items[0].target")
			.isEqualTo(clientId)
			.jsonPath("$.items[0].detail")
			.value((String detail) -> assertThat(detail).contains("s0"));
		adminApiGet(admin, "/admin/api/audit?actor=" + admin.username() + "&object=" + name.replace(' ', '+'))
			.exchange()
			.expectBody()
			.jsonPath("$.total")
			.isEqualTo(4);
		adminApiGet(admin, "/admin/api/audit?from=2026-13-01&to=" + today)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.fields.from")
			.isEqualTo("must be a day (2026-01-31, UTC) or an instant (2026-01-31T10:15:30Z)");
		adminApiGet(admin, "/admin/api/audit?from=" + today + "&to=2020-01-01T00:00:00Z")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.fields.to")
			.isEqualTo("must not be before from");
	}

	private String createClient(User admin, String name) {
		byte[] body = adminApiSend(admin, "POST", "/admin/api/clients",
				"{\"name\":\"" + name + "\",\"grantTypes\":[\"client_credentials\"]}")
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return (String) parse(body).get("id");
	}

	private List<WebElement> rows() {
		return this.driver.findElements(By.cssSelector("#audit tbody tr"));
	}

	private static WebElement cell(WebElement row, int column) {
		return row.findElement(By.cssSelector("td:nth-child(" + column + ")"));
	}

}
