package dev.portcullis.web;

import java.io.IOException;

import dev.portcullis.support.HeadlessChrome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Value;

/**
 * Integration tests that drive pages in a real browser: one headless Chromium per class, its cookies and storage
 * cleared before each test, and the gateway's address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BrowserIntegrationTests extends PortcullisIntegrationTests {

	@Value("${local.server.port}")
	private int port;

	protected HeadlessChrome browser;

	protected ChromeDriver driver;

	protected WebDriverWait wait;

	@BeforeAll
	void startBrowser() throws IOException {
		this.browser = HeadlessChrome.start();
		this.driver = this.browser.driver();
		this.wait = this.browser.await();
	}

	@AfterAll
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@BeforeEach
	void freshBrowserState() {
		this.browser.reset();
	}

	/** The gateway's base URL, as the browser reaches it. */
	protected String gateway() {
		return "http://127.0.0.1:" + this.port;
	}

}
