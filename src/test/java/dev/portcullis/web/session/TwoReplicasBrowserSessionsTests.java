package dev.portcullis.web.session;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.HeadlessChrome;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.SwitchingProxy;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas behind one load balancer, no session affinity (issue 12): headless Chromium talks to one origin, a
 * {@link SwitchingProxy} that the test points at replica A or B, as a load balancer would send consecutive requests
 * to either. (A proxy rather than copying the cookie onto the other replica's origin with Selenium: the browser then
 * does exactly what it does in production, and a cookie the gateway sets on one replica is sent to the other.) The
 * authorization request and the login at A, the consent at B, the code exchanged at A; an admin session that works
 * at both, forms included.
 */
@RequiresRedis
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasBrowserSessionsTests {

	private static final String NAMESPACE = RedisTestSupport.randomNamespace();

	private final EchoUpstream application = new EchoUpstream();

	private ConfigurableApplicationContext replicaA;

	private ConfigurableApplicationContext replicaB;

	private SwitchingProxy loadBalancer;

	private HeadlessChrome browser;

	private WebDriver driver;

	private WebDriverWait wait;

	@BeforeAll
	void start() throws IOException {
		List<String> properties = List.of("server.port=0", "spring.data.redis.url=" + RedisTestSupport.redisUrl(),
				"portcullis.redis.namespace=" + NAMESPACE, "portcullis.secrets.bcrypt-strength=4",
				"portcullis.bootstrap.users[0].username=sam", "portcullis.bootstrap.users[0].password=sam-password",
				"portcullis.bootstrap.users[1].username=root", "portcullis.bootstrap.users[1].password=root-password",
				"portcullis.bootstrap.users[1].admin=true",
				"portcullis.bootstrap.clients[0].id=crm-web", "portcullis.bootstrap.clients[0].name=CRM Web App",
				"portcullis.bootstrap.clients[0].secret=crm-web-secret",
				"portcullis.bootstrap.clients[0].grant-types=authorization_code",
				"portcullis.bootstrap.clients[0].redirect-uris=" + callbackUri());
		this.replicaA = TestGateways.start(properties);
		this.replicaB = TestGateways.start(properties);
		this.loadBalancer = new SwitchingProxy(TestGateways.port(this.replicaA));
		this.browser = HeadlessChrome.start();
		this.driver = this.browser.driver();
		this.wait = this.browser.await();
	}

	@AfterAll
	void stop() throws IOException {
		if (this.browser != null) {
			this.browser.close();
		}
		if (this.loadBalancer != null) {
			this.loadBalancer.close();
		}
		for (ConfigurableApplicationContext replica : new ConfigurableApplicationContext[] { this.replicaA, this.replicaB }) {
			if (replica != null) {
				replica.close();
			}
		}
		this.application.close();
	}

	@BeforeEach
	void freshBrowser() {
		this.browser.reset();
		this.loadBalancer.switchTo(port(this.replicaA));
	}

	@Test
	void authorizationRequestAndLoginAtAConsentAtBCodeExchangedAtA() {
		int atB = this.loadBalancer.connectionsTo(port(this.replicaB));
		this.driver.get(origin() + "/Api/authorize?response_type=code&client_id=crm-web&state=xyz&redirect_uri="
				+ callbackUri());
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
		this.driver.findElement(By.id("username")).sendKeys("sam");
		this.driver.findElement(By.id("password")).sendKeys("sam-password");
		this.driver.findElement(By.id("sign-in")).click();
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("authorize-once")));
		assertThat(this.loadBalancer.connectionsTo(port(this.replicaB))).as("B so far").isEqualTo(atB);
		assertSessionInRedis();

		switchTo(this.replicaB);
		this.driver.findElement(By.id("authorize-once")).click();
		this.wait.until(ExpectedConditions.urlMatches("^" + Pattern.quote(callbackUri()) + "\\?"));
		assertThat(this.loadBalancer.connectionsTo(port(this.replicaB))).as("B took the consent").isGreaterThan(atB);
		Map<String, String> answer = UriComponentsBuilder.fromUriString(this.driver.getCurrentUrl()).build()
			.getQueryParams().toSingleValueMap();
		assertThat(answer).containsEntry("state", "xyz").containsKey("code");

		TestGateways.client(this.replicaA).post().uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=authorization_code&client_id=crm-web&client_secret=crm-web-secret&code="
					+ answer.get("code") + "&redirect_uri=" + callbackUri())
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.access_token").isNotEmpty();
	}

	@Test
	void adminSessionWhenSignedInAtAThenPagesAndFormsWorkAtBothReplicas() {
		this.driver.get(origin() + "/admin");
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
		this.driver.findElement(By.id("username")).sendKeys("root");
		this.driver.findElement(By.id("password")).sendKeys("root-password");
		this.driver.findElement(By.id("sign-in")).click();
		awaitTitle("Overview");

		switchTo(this.replicaB);
		this.driver.get(origin() + "/admin/clients");
		awaitTitle("Clients");
		this.driver.findElement(By.id("new-client")).click();
		awaitTitle("New client");
		String name = "Replica job " + System.nanoTime();
		this.driver.findElement(By.id("name")).sendKeys(name);
		this.driver.findElement(By.id("kind-client-credentials")).click();

		// the form B rendered (its CSRF token kept in the session) is taken by A, and A's notice shown by B
		switchTo(this.replicaA);
		this.driver.findElement(By.id("create-client")).click();
		awaitTitle(name);
		assertThat(this.driver.findElement(By.id("client-secret")).getText()).matches("[0-9a-f]{64}");
		switchTo(this.replicaB);
		this.driver.get(origin() + "/admin/clients");
		awaitTitle("Clients");
		assertThat(this.driver.findElement(By.id("clients")).getText()).contains(name);
		assertThat(this.loadBalancer.connectionsTo(port(this.replicaA))).isPositive();
		assertThat(this.loadBalancer.connectionsTo(port(this.replicaB))).isPositive();
	}

	private void assertSessionInRedis() {
		Cookie session = this.driver.manage().getCookieNamed("SESSION");
		assertThat(session).as("a session cookie").isNotNull();
		assertThat(session.isHttpOnly()).isTrue();
		assertThat(session.getSameSite()).isEqualTo("Lax");
		try (RedisTestSupport.TestRedis redis = RedisTestSupport.connect()) {
			ReactiveStringRedisTemplate template = redis.template();
			assertThat(template.hasKey(NAMESPACE + ":sessions:" + session.getValue()).block(Duration.ofSeconds(5)))
				.as("the session in Redis, under the namespace")
				.isTrue();
		}
	}

	private void switchTo(ConfigurableApplicationContext replica) {
		this.loadBalancer.switchTo(port(replica));
	}

	private void awaitTitle(String title) {
		this.wait.until(ExpectedConditions.titleIs(title + " · Portcullis admin"));
	}

	private String origin() {
		return "http://127.0.0.1:" + this.loadBalancer.port();
	}

	private String callbackUri() {
		return this.application.uri() + "/callback";
	}

	private static int port(ConfigurableApplicationContext replica) {
		return TestGateways.port(replica);
	}

}
