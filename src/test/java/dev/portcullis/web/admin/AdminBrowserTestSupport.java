package dev.portcullis.web.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.portcullis.oauth2.user.User;
import dev.portcullis.web.BrowserIntegrationTests;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the browser tests of the admin console share: one headless Chromium per class, signing in as a fresh
 * administrator, waiting for a page by its title, and the layout check at the two widths the console is made for.
 */
abstract class AdminBrowserTestSupport extends BrowserIntegrationTests {

	protected static final Duration WAIT = Duration.ofSeconds(10);

	/** A laptop's screen and a phone's: no admin page may scroll sideways at either. */
	protected static final List<Dimension> WIDTHS = List.of(new Dimension(1280, 800), new Dimension(390, 844));

	protected User registerAdmin() {
		String username = uniqueId("admin");
		return this.users.save(new User(uniqueId("user"), username, this.hasher.hash(username + "-password"), true, true))
			.block(WAIT);
	}

	/** Opens {@code path}, signs in on the login page it sends to, and waits for the page titled {@code title}. */
	protected void openSignedIn(String path, User user, String title) {
		this.driver.get(gateway() + path);
		this.wait.until(ExpectedConditions.titleIs("Sign in · Portcullis"));
		this.driver.findElement(By.id("username")).sendKeys(user.username());
		this.driver.findElement(By.id("password")).sendKeys(user.username() + "-password");
		this.driver.findElement(By.id("sign-in")).click();
		awaitTitle(title);
	}

	protected void open(String path, String title) {
		this.driver.get(gateway() + path);
		awaitTitle(title);
	}

	protected void awaitTitle(String title) {
		try {
			this.wait.until(ExpectedConditions.titleIs(title + " · Portcullis admin"));
		}
		catch (org.openqa.selenium.TimeoutException ex) {
			throw new AssertionError("Expected the page '" + title + "' at " + this.driver.getCurrentUrl() + ", got:\n"
					+ this.driver.getPageSource(), ex);
		}
	}

	/** Clicks what has that id and waits for the next page, titled {@code title} (which may be the same page's). */
	protected void clickAndAwait(String id, String title) {
		clickToNextDocument(byId(id));
		awaitTitle(title);
	}

	/**
	 * Clicks and waits until the browser has left the current document. The wait asks the window (a marker set on the
	 * old document is gone), not the clicked element: mid-navigation Chromium may answer a check on the old element
	 * with "Node with given id does not belong to the document" instead of a stale element.
	 */
	protected void clickToNextDocument(WebElement element) {
		js("window.portcullisPreviousDocument = true");
		element.click();
		new WebDriverWait(this.driver, WAIT).ignoring(WebDriverException.class)
			.until((driver) -> Boolean.TRUE.equals(js("return window.portcullisPreviousDocument === undefined")));
	}

	protected WebElement byId(String id) {
		return this.driver.findElement(By.id(id));
	}

	protected String flash() {
		return byId("flash").getText();
	}

	protected WebTestClient.RequestHeadersSpec<?> adminApiGet(User admin, String path) {
		return this.http.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, basic(admin.username(), admin.username() + "-password"));
	}

	protected WebTestClient.ResponseSpec adminApiSend(User admin, String method, String path, String json) {
		return this.http.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, basic(admin.username(), admin.username() + "-password"))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange();
	}

	/** Resizes the window so that the page's viewport is {@code size} (headless Chromium has no window frame). */
	protected void viewport(Dimension size) {
		this.driver.manage().window().setSize(size);
		// the window's size includes what headless Chromium still counts as its frame: add that back
		int extraHeight = ((Number) js("return window.outerHeight - window.innerHeight")).intValue();
		if (extraHeight > 0) {
			this.driver.manage().window().setSize(new Dimension(size.width, size.height + extraHeight));
		}
		this.wait.until((driver) -> ((Number) js("return window.innerWidth")).intValue() == size.width
				&& ((Number) js("return window.innerHeight")).intValue() == size.height);
	}

	protected Object js(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/**
	 * At each of {@link #WIDTHS}: the page does not scroll sideways ({@code scrollWidth} within the viewport), every
	 * row action of a table (its buttons) is inside its table's visible box and on screen,
	 * and a screenshot is saved as {@code <page>-<width>x<height>.png}. Leaves the window at the first width.
	 */
	protected void assertFitsAndScreenshot(String page) throws IOException {
		for (Dimension size : WIDTHS) {
			viewport(size);
			Number scrollWidth = (Number) js("return document.documentElement.scrollWidth");
			Number innerWidth = (Number) js("return window.innerWidth");
			Number clientWidth = (Number) js("return document.documentElement.clientWidth");
			Object wide = js("const w = document.documentElement.clientWidth;"
					+ "return [...document.querySelectorAll('body *')]"
					+ ".filter((e) => !e.closest('.table-wrap') && (e.getBoundingClientRect().right > w + 1"
					+ "  || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')))"
					+ ".slice(-5).map((e) => e.tagName + '.' + e.className + '#' + e.id + ' '"
					+ " + Math.round(e.getBoundingClientRect().right) + '/' + e.scrollWidth).join(', ')");
			assertThat(scrollWidth.intValue()).as("%s at %s: scrollWidth %s, innerWidth %s; too wide: %s", page, size,
					scrollWidth, innerWidth, wide)
				.isLessThanOrEqualTo(innerWidth.intValue())
				.isLessThanOrEqualTo(clientWidth.intValue());
			Object hidden = js("return [...document.querySelectorAll('.table-wrap a.button, .table-wrap button')].filter((a) => {"
					+ "  const r = a.getBoundingClientRect();"
					+ "  const box = a.closest('.table-wrap').getBoundingClientRect();"
					+ "  return r.width === 0 || r.left < box.left - 1 || r.right > box.right + 1 || r.right > window.innerWidth;"
					+ "}).map((a) => a.textContent.trim() + ' ' + Math.round(a.getBoundingClientRect().right)).join(', ')");
			assertThat((String) hidden).as("row actions out of sight on %s at %s", page, size).isEmpty();
			this.browser.screenshot(page + "-" + size.width + "x" + size.height + ".png");
		}
		viewport(WIDTHS.get(0));
	}

}
