package dev.portcullis.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's chromium, headless, driven by its chromedriver, for the browser tests of the pages: the flags that work on
 * these machines (build notes §5), a fresh profile, the console kept so that Content-Security-Policy refusals fail a
 * test, and screenshots under {@code target/screenshots/}. Fails, never skips, when chromium is not installed.
 */
public final class HeadlessChrome implements AutoCloseable {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	public static final Dimension DESKTOP = new Dimension(1280, 900);

	public static final Dimension PHONE = new Dimension(390, 844);

	private final Path profile;

	private final ChromeDriverService service;

	private final ChromeDriver driver;

	private final WebDriverWait wait;

	private HeadlessChrome(Path profile, ChromeDriverService service, ChromeDriver driver) {
		this.profile = profile;
		this.service = service;
		this.driver = driver;
		this.wait = new WebDriverWait(driver, Duration.ofSeconds(10));
	}

	public static HeadlessChrome start() throws IOException {
		for (Path binary : new Path[] { CHROMIUM, CHROMEDRIVER }) {
			assertThat(Files.isExecutable(binary)).as(
					"%s is missing: the browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
					binary)
				.isTrue();
		}
		Path profile = Files.createTempDirectory("chromium-profile");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--user-data-dir=" + profile, "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
		// the console, to catch what the pages' Content-Security-Policy refuses
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		// an explicit driver executable: Selenium Manager never runs, nothing is downloaded
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		Files.createDirectories(SCREENSHOTS);
		return new HeadlessChrome(profile, service, new ChromeDriver(service, options));
	}

	public ChromeDriver driver() {
		return this.driver;
	}

	/** Waits up to 10 s. */
	public WebDriverWait await() {
		return this.wait;
	}

	/** No cookies (the gateway and the test backends share 127.0.0.1, and cookies ignore ports), desktop size. */
	public void reset() {
		this.driver.manage().deleteAllCookies();
		this.driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		this.driver.manage().window().setSize(DESKTOP);
	}

	/** Saves what the browser shows, after checking that the page's CSP refused nothing it uses. */
	public void screenshot(String name) throws IOException {
		assertThat(this.driver.manage().logs().get(LogType.BROWSER).getAll()).map(LogEntry::getMessage)
			.as("console of %s", name)
			.noneMatch((message) -> message.contains("Content Security Policy"));
		File shot = this.driver.getScreenshotAs(OutputType.FILE);
		try (InputStream in = Files.newInputStream(shot.toPath())) {
			// a copy with default permissions (the driver's file is private to the user)
			Files.copy(in, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
		}
		Files.deleteIfExists(shot.toPath());
	}

	/**
	 * A screenshot at a phone's width, after checking that the page itself does not scroll sideways; and one of the
	 * whole page ({@code name-full.png}) when it is taller than the screen.
	 */
	public void screenshotAtPhoneWidth(String name) throws IOException {
		JavascriptExecutor js = this.driver;
		this.driver.manage().window().setSize(PHONE);
		this.wait.until((driver) -> ((Number) js.executeScript("return window.innerWidth")).intValue() <= PHONE.width);
		Number overflow = (Number) js
			.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
		Object wide = js.executeScript("return [...document.querySelectorAll('body *')]"
				+ ".filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5)"
				+ ".map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
		assertThat(overflow.intValue()).as("horizontal overflow at %d px wide on %s: %s", PHONE.width, name, wide)
			.isZero();
		screenshot(name + ".png");
		Number below = (Number) js.executeScript("return document.documentElement.scrollHeight - window.innerHeight");
		if (below.intValue() > 0) {
			this.driver.manage().window().setSize(new Dimension(PHONE.width, PHONE.height + below.intValue()));
			screenshot(name + "-full.png");
		}
		this.driver.manage().window().setSize(DESKTOP);
	}

	@Override
	public void close() {
		this.driver.quit();
		this.service.stop();
		FileSystemUtils.deleteRecursively(this.profile.toFile());
	}

}
