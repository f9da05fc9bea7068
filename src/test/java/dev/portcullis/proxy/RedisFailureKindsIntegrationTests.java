package dev.portcullis.proxy;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.portcullis.support.EchoUpstream;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12: every way the store can fail answers 503 {@code temporarily_unavailable} with {@code Retry-After} (never
 * a 500, never a stack trace in the log) at the token endpoint, the authorization endpoint of a signed-in user, the
 * admin API and the proxy; a Redis that is down is answered at once, one that is slow but connected after the
 * command timeout. Each failure is provoked on a real redis-server where Redis can be made to fail that way (killed
 * mid-command, stopped, {@code DEBUG SLEEP}, {@code CLIENT PAUSE}, demoted to a replica), and by a {@link RedisFront}
 * answering Redis's error reply where it cannot easily ({@code LOADING}, {@code CLUSTERDOWN}, {@code TRYAGAIN},
 * {@code BUSY}, {@code MASTERDOWN}). A script error is not an outage: it stays a 500, logged.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisFailureKindsIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final String CLIENT_ID = "kinds-client";

	private static final String SECRET = "kinds-secret";

	private static final String WEB_CLIENT_ID = "kinds-web";

	private static final String ADMIN = "kinds-admin";

	private static final String PASSWORD = "kinds-password";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(");

	private RedisServerProcess redis;

	private RedisFront front;

	private EchoUpstream upstream;

	private ConfigurableApplicationContext gateway;

	private URI base;

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager())
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	/** A token not yet checked at the proxy, so that its check asks Redis (no replica remembers it). */
	private String freshToken;

	@BeforeAll
	void startGatewayAndSignIn(@TempDir Path redisData) throws Exception {
		this.redis = RedisServerProcess.start(redisData);
		this.front = new RedisFront(this.redis.port());
		this.upstream = new EchoUpstream();
		this.gateway = TestGateways.start(properties());
		this.base = URI.create("http://127.0.0.1:" + TestGateways.port(this.gateway));
		String csrf = find(CSRF, send(get("/login")).body());
		HttpResponse<String> signedIn = send(post("/login", form("username", ADMIN, "password", PASSWORD, "_csrf", csrf)));
		assertThat(signedIn.statusCode()).as("signed in").isEqualTo(302);
	}

	@AfterAll
	void stop() throws Exception {
		this.gateway.close();
		this.upstream.close();
		this.front.close();
		this.redis.close();
	}

	@BeforeEach
	void healthyWithAFreshToken() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> send(tokenRequest()).statusCode() == 200);
		this.freshToken = (String) TestGateways.parse(send(tokenRequest()).body().getBytes(StandardCharsets.UTF_8))
			.get("access_token");
		assertThat(send(authorizeRequest()).statusCode()).as("the consent page, Redis up").isEqualTo(200);
		assertThat(send(adminRequest()).statusCode()).as("the admin API, Redis up").isEqualTo(200);
	}

	@AfterEach
	void repairRedis() throws Exception {
		this.front.relay();
		try {
			this.redis.restart();
		}
		catch (IllegalStateException running) {
			// it was not stopped
		}
		this.redis.command("CLIENT", "UNPAUSE");
		this.redis.command("REPLICAOF", "NO", "ONE");
		this.redis.command("CONFIG", "SET", "replica-serve-stale-data", "yes");
	}

	@Test
	void redisDownThen503AtOnceEverywhere(CapturedOutput output) throws Exception {
		int logged = output.length();
		this.front.refuse();

		List<Answer> answers = all(List.of(tokenRequest(), authorizeRequest(), adminRequest(), proxyRequest()));

		assertUnavailable(answers);
		// fail fast: a connection known to be down does not wait for the command timeout
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.took()).as(answer.toString())
			.isLessThan(COMMAND_TIMEOUT.dividedBy(2)));
		assertNoStackTrace(output, logged);
	}

	@Test
	void redisKilledMidCommandThen503Everywhere(CapturedOutput output) throws Exception {
		int logged = output.length();
		CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> command("DEBUG", "SLEEP", "1.5"));
		Thread.sleep(200);
		// in flight when the server dies: Lettuce sees its connection reset with the commands unanswered
		List<CompletableFuture<Answer>> inFlight = List.of(tokenRequest(), authorizeRequest(), adminRequest(),
				proxyRequest()).stream().map(this::sendAsync).toList();
		Thread.sleep(500);
		this.redis.kill();
		this.front.resetConnections();

		List<Answer> answers = inFlight.stream().map(CompletableFuture::join).toList();

		assertUnavailable(answers);
		sleeping.handle((reply, ex) -> null).join();
		assertNoStackTrace(output, logged);
	}

	@Test
	void redisSleepingThen503AfterTheCommandTimeout(CapturedOutput output) throws Exception {
		int logged = output.length();
		CompletableFuture<String> sleeping = CompletableFuture.supplyAsync(() -> command("DEBUG", "SLEEP", "4"));
		Thread.sleep(200);

		List<Answer> answers = all(List.of(tokenRequest(), authorizeRequest(), adminRequest(), proxyRequest()));

		assertUnavailable(answers);
		assertWaitedForTheTimeout(answers);
		sleeping.join();
		assertNoStackTrace(output, logged);
	}

	@Test
	void clientsPausedThen503AfterTheCommandTimeout(CapturedOutput output) throws Exception {
		int logged = output.length();
		assertThat(this.redis.command("CLIENT", "PAUSE", "4000", "ALL")).isEqualTo("+OK");

		List<Answer> answers = all(List.of(tokenRequest(), authorizeRequest(), adminRequest(), proxyRequest()));

		assertUnavailable(answers);
		assertWaitedForTheTimeout(answers);
		assertNoStackTrace(output, logged);
	}

	/** A failover demoted the server the gateway writes to: reads still work, every write is refused READONLY. */
	@Test
	void redisDemotedToReplicaThenWritesAnswer503(CapturedOutput output) throws Exception {
		int logged = output.length();
		assertThat(this.redis.command("REPLICAOF", "127.0.0.1", String.valueOf(unusedPort()))).isEqualTo("+OK");

		List<Answer> answers = all(List.of(tokenRequest(), adminWriteRequest()));

		assertUnavailable(answers);
		assertThat(output.getAll().substring(logged)).contains("READONLY");
		assertNoStackTrace(output, logged);
	}

	/** A replica whose master is gone and that must not serve stale data refuses reads too: MASTERDOWN. */
	@Test
	void replicaRefusingStaleDataThen503Everywhere(CapturedOutput output) throws Exception {
		int logged = output.length();
		assertThat(this.redis.command("CONFIG", "SET", "replica-serve-stale-data", "no")).isEqualTo("+OK");
		assertThat(this.redis.command("REPLICAOF", "127.0.0.1", String.valueOf(unusedPort()))).isEqualTo("+OK");

		List<Answer> answers = all(List.of(tokenRequest(), authorizeRequest(), adminRequest(), proxyRequest()));

		assertUnavailable(answers);
		assertThat(output.getAll().substring(logged)).contains("MASTERDOWN");
		assertNoStackTrace(output, logged);
	}

	@ParameterizedTest
	@ValueSource(strings = { "LOADING Redis is loading the dataset in memory", "CLUSTERDOWN Hash slot not served",
			"TRYAGAIN Multiple keys request during rehashing of slot",
			"BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.",
			"MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
			"OOM command not allowed when used memory > 'maxmemory'." })
	void errorReplyMeaningNotNowThen503Everywhere(String reply, CapturedOutput output) throws Exception {
		int logged = output.length();
		this.front.reply(reply);
		awaitReplyReachesTheGateway(reply.substring(0, reply.indexOf(' ')), output, logged);

		List<Answer> answers = all(List.of(tokenRequest(), authorizeRequest(), adminRequest(), proxyRequest()));

		assertUnavailable(answers);
		assertThat(output.getAll().substring(logged)).contains(reply.substring(0, reply.indexOf(' ')));
		assertNoStackTrace(output, logged);
	}

	/** A bug (here a script error) is not dressed up as an outage: 500, with the stack trace in the log. */
	@Test
	void scriptErrorThen500NotAnOutage(CapturedOutput output) throws Exception {
		int logged = output.length();
		this.front.reply("ERR user_script:1: Script attempted to access nonexistent global variable 'x'");
		awaitReplyReachesTheGateway("user_script", output, logged);

		Answer token = all(List.of(tokenRequest())).get(0);

		assertThat(token.status()).as(token.toString()).isEqualTo(500);
		assertThat(token.body()).contains("\"error\":\"server_error\"");
		assertThat(output.getAll().substring(logged)).contains("Token request failed unexpectedly");
	}

	/** Redis restarted without its script cache: EVALSHA answers NOSCRIPT and the script is sent again (EVAL). */
	@Test
	void scriptCacheLostThenTokensAreIssuedStill() throws Exception {
		assertThat(this.redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");

		assertThat(send(tokenRequest()).statusCode()).isEqualTo(200);
	}

	/** The gateway reconnects to the front, which answers the error from now on; it is not refused "not connected". */
	private void awaitReplyReachesTheGateway(String error, CapturedOutput output, int logged) {
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
			send(tokenRequest());
			return output.getAll().substring(logged).contains(error);
		});
	}

	// --- the four doors

	private HttpRequest tokenRequest() {
		return post("/Api/access_token", form("grant_type", "client_credentials", "client_id", CLIENT_ID,
				"client_secret", SECRET));
	}

	private HttpRequest authorizeRequest() {
		String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("kinds-verifier"));
		return get("/Api/authorize?response_type=code&client_id=" + WEB_CLIENT_ID + "&redirect_uri="
				+ URLEncoder.encode(this.upstream.uri() + "/callback", StandardCharsets.UTF_8) + "&state=s1&code_challenge="
				+ challenge + "&code_challenge_method=S256");
	}

	private HttpRequest adminRequest() {
		return HttpRequest.newBuilder(this.base.resolve("/admin/api/clients"))
			.header("Authorization", basic())
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
	}

	private HttpRequest adminWriteRequest() {
		return HttpRequest.newBuilder(this.base.resolve("/admin/api/clients/" + CLIENT_ID))
			.header("Authorization", basic())
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"Renamed\"}"))
			.build();
	}

	private HttpRequest proxyRequest() {
		return HttpRequest.newBuilder(this.base.resolve("/Api/V8/module/Accounts"))
			.header("Authorization", "Bearer " + this.freshToken)
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
	}

	// --- assertions

	private static void assertUnavailable(List<Answer> answers) {
		assertThat(answers).allSatisfy((answer) -> {
			assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
			assertThat(answer.retryAfter()).as(answer.toString()).isEqualTo("1");
			if (answer.path().startsWith("/Api/authorize")) {
				assertThat(answer.body()).as("a page for the browser").contains("Temporarily unavailable");
			}
			else {
				assertThat(answer.body()).as(answer.toString()).contains("\"error\":\"temporarily_unavailable\"");
			}
		});
	}

	/** Slow but connected: each request waited for the command timeout, it was not refused at once. */
	private static void assertWaitedForTheTimeout(List<Answer> answers) {
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.took()).as(answer.toString())
			.isGreaterThanOrEqualTo(COMMAND_TIMEOUT.minusMillis(300)));
	}

	private static void assertNoStackTrace(CapturedOutput output, int from) {
		String logged = output.getAll().substring(from);
		Matcher frame = STACK_FRAME.matcher(logged);
		assertThat(frame.find()).as("a stack trace in the log:%n%s", logged).isFalse();
		assertThat(logged).doesNotContain(" ERROR ");
	}

	// --- plumbing

	private List<String> properties() {
		List<String> properties = new ArrayList<>();
		properties.add("server.port=0");
		properties.add("portcullis.store=redis");
		properties.add("spring.data.redis.url=" + this.front.url());
		properties.add("spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms");
		properties.add("spring.data.redis.connect-timeout=1s");
		properties.add("portcullis.redis.namespace=" + RedisTestSupport.randomNamespace());
		properties.add("portcullis.upstream.uri=" + this.upstream.uri());
		properties.add("portcullis.secrets.bcrypt-strength=4");
		properties.add("portcullis.bootstrap.clients[0].id=" + CLIENT_ID);
		properties.add("portcullis.bootstrap.clients[0].name=Failure kinds client");
		properties.add("portcullis.bootstrap.clients[0].secret=" + SECRET);
		properties.add("portcullis.bootstrap.clients[0].grant-types=client_credentials");
		properties.add("portcullis.bootstrap.clients[1].id=" + WEB_CLIENT_ID);
		properties.add("portcullis.bootstrap.clients[1].name=Failure kinds web app");
		properties.add("portcullis.bootstrap.clients[1].secret=" + SECRET);
		properties.add("portcullis.bootstrap.clients[1].grant-types=authorization_code");
		properties.add("portcullis.bootstrap.clients[1].redirect-uris[0]=" + this.upstream.uri() + "/callback");
		properties.add("portcullis.bootstrap.users[0].username=" + ADMIN);
		properties.add("portcullis.bootstrap.users[0].password=" + PASSWORD);
		properties.add("portcullis.bootstrap.users[0].admin=true");
		return properties;
	}

	private List<Answer> all(List<HttpRequest> requests) {
		return requests.stream().map(this::sendAsync).toList().stream().map(CompletableFuture::join).toList();
	}

	private CompletableFuture<Answer> sendAsync(HttpRequest request) {
		long started = System.nanoTime();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> new Answer(request.uri().getPath() + "?" + request.uri().getRawQuery(),
					response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), response.body(),
					Duration.ofNanos(System.nanoTime() - started)));
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(this.base.resolve(path))
			.header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
	}

	private HttpRequest post(String path, String form) {
		return HttpRequest.newBuilder(this.base.resolve(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
	}

	private String command(String... arguments) {
		try {
			return this.redis.command(arguments);
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static String form(String... namesAndValues) {
		StringBuilder form = new StringBuilder();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			form.append((i == 0) ? "" : "&")
				.append(namesAndValues[i])
				.append('=')
				.append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
		}
		return form.toString();
	}

	private static String basic() {
		return "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private static String find(Pattern pattern, String page) {
		Matcher matcher = pattern.matcher(page);
		assertThat(matcher.find()).as("%s in the page", pattern).isTrue();
		return matcher.group(1);
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int unusedPort() throws IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private record Answer(String path, int status, String retryAfter, String body, Duration took) {

		@Override
		public String toString() {
			return this.path.substring(0, Math.min(this.path.length(), 40)) + " → " + this.status + " after "
					+ this.took.toMillis() + " ms, Retry-After " + this.retryAfter + ": "
					+ this.body.substring(0, Math.min(this.body.length(), 160));
		}

	}

}
