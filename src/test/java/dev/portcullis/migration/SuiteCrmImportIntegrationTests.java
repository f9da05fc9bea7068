package dev.portcullis.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.portcullis.fixtures.SuiteCrmDatabase;
import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.redis.RedisAuditLog;
import dev.portcullis.store.redis.RedisClientStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisUserStore;
import dev.portcullis.support.MariaDbTestSupport.TestDatabase;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresMariaDb;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import dev.portcullis.support.TestPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: the SuiteCRM import, run as a user runs it ({@code import suitecrm …} with the jar's arguments, in
 * process), from a real MariaDB holding SuiteCRM's tables with rows hashed exactly as SuiteCRM hashes them, into a
 * real Redis; then a gateway on that Redis takes the original secrets and passwords, and the weak hashes are gone
 * from the store.
 */
@RequiresMariaDb
@RequiresRedis
class SuiteCrmImportIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	private final RedisUserStore users;

	private final RedisClientStore clients;

	private final SuiteCrmDatabase crm;

	private final Path passwordFile;

	SuiteCrmImportIntegrationTests(ReactiveStringRedisTemplate redis, TestDatabase database, @TempDir Path folder)
			throws IOException {
		this.redis = redis;
		this.users = new RedisUserStore(redis, this.keys, JSON);
		this.clients = new RedisClientStore(redis, this.keys, JSON);
		this.crm = new SuiteCrmDatabase(database).createTables();
		this.passwordFile = Files.writeString(folder.resolve("crm-db-password"), database.password() + "\n");
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	@Test
	void importWhenSuiteCrmRowsThenOriginalSecretsAndPasswordsWorkAtTheGatewayAndTheWeakHashesGo() {
		this.crm.user("u-alice", "alice", "alice-password-1")
			.user("u-bob", "bob", SuiteCrmDatabase.md5Hex("bob-password-1"), "Active", false, false)
			.user("u-api", "api", "api-password-1")
			.user("u-gone", "gone", SuiteCrmDatabase.passwordHash("gone-1"), "Inactive", false, false)
			.user("u-ldap", "ldap", "", "Active", false, false)
			.user("u-boss", "boss", SuiteCrmDatabase.passwordHash("boss-password-1"), "Active", true, false)
			.user("u-deleted", "deleted", SuiteCrmDatabase.passwordHash("deleted-1"), "Active", false, true)
			.client("c-sync", "CRM sync", "sync-secret-0123456789", true, "client_credentials", null, "u-api", false)
			.client("c-app", "Mobile app", "app-secret-0123456789", false, "password", null, "u-alice", false)
			.client("c-old", "Old widget", "old-secret-0123456789", false, "implicit", null, null, false)
			.client("c-orphan", "Orphan", "orphan-secret-0123456789", true, "client_credentials", null, null, false)
			.client("c-dropped", "Dropped", "dropped-secret-0123456789", true, "password", null, null, true);

		Run first = importSuiteCrm();

		assertThat(first.status()).as(first.err()).isZero();
		assertThat(first.out()).contains("users:   5 imported, 0 updated, 0 unchanged, 1 skipped")
			.contains("clients: 2 imported, 0 updated, 0 unchanged, 2 skipped")
			.contains("user u-ldap 'ldap': no password hash")
			.contains("client c-old 'Old widget': allowed_grant_type is implicit")
			.contains("client c-orphan 'Orphan': a client_credentials client without an associated user")
			.contains("SuiteCRM hashes left in Portcullis: 2 client secrets, 5 user passwords")
			.doesNotContain("deleted", "Dropped");
		RegisteredClient sync = this.clients.findById("c-sync").block(TIMEOUT);
		assertThat(sync.secretHash()).isEqualTo("{suitecrm-sha256}" + SuiteCrmDatabase.sha256Hex("sync-secret-0123456789"));
		assertThat(sync.grantTypes()).containsExactly(GrantType.CLIENT_CREDENTIALS);
		assertThat(sync.associatedUserId()).isEqualTo("u-api");
		assertThat(sync.tokenSettings().accessTokenTtl()).as("SuiteCRM's duration fields are not imported").isNull();
		RegisteredClient app = this.clients.findById("c-app").block(TIMEOUT);
		assertThat(app.confidential()).as("SuiteCRM checks a password client's secret whatever is_confidential says")
			.isTrue();
		assertThat(app.associatedUserId()).isNull();
		assertThat(this.users.findById("u-bob").block(TIMEOUT).passwordHash()).startsWith("{suitecrm-md5-bcrypt}$2a$10$")
			.doesNotContain(SuiteCrmDatabase.md5Hex("bob-password-1"));
		assertThat(this.users.findById("u-gone").block(TIMEOUT).active()).isFalse();
		assertThat(this.users.findById("u-boss").block(TIMEOUT).admin()).as("is_admin only with --import-admins").isFalse();
		assertThat(auditedBy("import:suitecrm")).extracting(AuditEvent::action)
			.containsOnly("user.imported", "client.imported")
			.hasSize(7);

		try (ConfigurableApplicationContext gateway = TestGateways.start(gatewayProperties())) {
			assertThat(TestGateways.clientCredentialsToken(gateway, "c-sync", "sync-secret-0123456789")).isNotBlank();
			assertThat(passwordGrant(gateway, "c-app", "app-secret-0123456789", "alice", "alice-password-1"))
				.containsKeys("access_token", "refresh_token");
			assertThat(passwordGrant(gateway, "c-app", "app-secret-0123456789", "BOB", "bob-password-1"))
				.containsKey("access_token");
			TestGateways.client(gateway).post().uri("/Api/access_token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.bodyValue("grant_type=password&client_id=c-app&client_secret=app-secret-0123456789&username=alice"
						+ "&password=" + SuiteCrmDatabase.md5Hex("alice-password-1"))
				.exchange()
				.expectStatus().isBadRequest();
		}
		String syncHash = this.clients.findById("c-sync").block(TIMEOUT).secretHash();
		String aliceHash = this.users.findById("u-alice").block(TIMEOUT).passwordHash();
		assertThat(syncHash).startsWith("{bcrypt-sha256}");
		assertThat(aliceHash).startsWith("{argon2}$argon2id$");
		assertThat(this.users.findById("u-bob").block(TIMEOUT).passwordHash()).startsWith("{argon2}$argon2id$");
		assertThat(this.clients.findById("c-app").block(TIMEOUT).secretHash()).startsWith("{bcrypt-sha256}");

		Run second = importSuiteCrm();

		assertThat(second.status()).as(second.err()).isZero();
		assertThat(second.out()).contains("users:   0 imported, 0 updated, 5 unchanged, 1 skipped")
			.contains("clients: 0 imported, 0 updated, 2 unchanged, 2 skipped")
			.contains("SuiteCRM hashes left in Portcullis: 0 client secrets, 3 user passwords");
		assertThat(this.clients.findById("c-sync").block(TIMEOUT).secretHash()).as("Portcullis's own hash is kept")
			.isEqualTo(syncHash);
		assertThat(this.users.findById("u-alice").block(TIMEOUT).passwordHash()).isEqualTo(aliceHash);
		assertThat(auditedBy("import:suitecrm")).hasSize(7);
	}

	@Test
	void importWhenRowsChangedInSuiteCrmThenADryRunWritesNothingAndTheNextRunUpdatesOnlyThem() {
		this.crm.user("u-alice", "alice", "alice-password-1")
			.user("u-boss", "boss", SuiteCrmDatabase.passwordHash("boss-password-1"), "Active", true, false)
			.client("c-app", "Mobile app", "app-secret-0123456789", true, "password", null, null, false);
		assertThat(importSuiteCrm().status()).isZero();
		RegisteredClient before = this.clients.findById("c-app").block(TIMEOUT);
		this.crm.update("UPDATE oauth2clients SET name = 'Mobile app v2' WHERE id = 'c-app'")
			.update("UPDATE users SET status = 'Inactive' WHERE id = 'u-alice'");

		Run dryRun = importSuiteCrm("--dry-run", "--import-admins");

		assertThat(dryRun.status()).as(dryRun.err()).isZero();
		assertThat(dryRun.out()).contains("(dry run: nothing was written)")
			.contains("users:   0 imported, 2 updated, 0 unchanged, 0 skipped")
			.contains("clients: 0 imported, 1 updated, 0 unchanged, 0 skipped");
		assertThat(this.clients.findById("c-app").block(TIMEOUT)).isEqualTo(before);
		assertThat(this.users.findById("u-alice").block(TIMEOUT).active()).isTrue();
		assertThat(this.users.findById("u-boss").block(TIMEOUT).admin()).isFalse();

		Run run = importSuiteCrm("--import-admins");

		assertThat(run.out()).contains("users:   0 imported, 2 updated, 0 unchanged, 0 skipped")
			.contains("clients: 0 imported, 1 updated, 0 unchanged, 0 skipped");
		assertThat(this.clients.findById("c-app").block(TIMEOUT).name()).isEqualTo("Mobile app v2");
		assertThat(this.users.findById("u-alice").block(TIMEOUT).active()).isFalse();
		assertThat(this.users.findById("u-boss").block(TIMEOUT).admin()).isTrue();
		assertThat(auditedBy("import:suitecrm")).extracting(AuditEvent::action)
			.containsOnlyOnce("client.updated")
			.filteredOn("user.updated"::equals)
			.hasSize(2);

		// a user deactivated in Portcullis (here by the import) is never activated by an import
		this.crm.update("UPDATE users SET status = 'Active' WHERE id = 'u-alice'");
		assertThat(importSuiteCrm("--import-admins").out()).contains("users:   0 imported, 0 updated, 2 unchanged, 0 skipped");
		assertThat(this.users.findById("u-alice").block(TIMEOUT).active()).isFalse();
	}

	@Test
	void importWhenAUsernameIsTakenOrAClientBreaksThePolicyThenSkippedWithWhy() {
		this.users.save(new User("portcullis-admin", "Admin", "{bcrypt-sha256}x", true, true)).block(TIMEOUT);
		this.crm.user("u-admin", "admin", "admin-password-1")
			.user("u-bad", "bad\u200Bname", "bad-password-1")
			.user("u-upper", "upper", SuiteCrmDatabase.md5Hex("x").toUpperCase(java.util.Locale.ROOT), "Active", false, false)
			.client("c-http", "Plain http", "http-secret-0123456789", false, "authorization_code",
					"http://app.example.com/callback", null, false)
			.client("c-weird", "Weird", "weird-secret-0123456789", true, "password", null, null, false)
			.update("UPDATE oauth2clients SET secret = 'not-a-sha256' WHERE id = 'c-weird'");

		Run run = importSuiteCrm();

		assertThat(run.status()).as(run.err()).isZero();
		assertThat(run.out()).contains("users:   0 imported, 0 updated, 0 unchanged, 3 skipped")
			.contains("user u-admin 'admin': the username is another Portcullis user's (id portcullis-admin")
			.contains("user u-bad 'bad?name': username must not contain invisible or bidirectional")
			.contains("user u-upper 'upper': user_hash is 32 characters but not lower-case hex MD5")
			.contains("client c-http 'Plain http': redirectUris 'http://app.example.com/callback' must use https")
			.contains("client c-weird 'Weird': secret is not SuiteCRM's hash('sha256', …)");
		assertThat(this.users.findById("u-admin").block(TIMEOUT)).isNull();
		assertThat(this.clients.findAll().collectList().block(TIMEOUT)).isEmpty();
	}

	/**
	 * Review: a bcrypt cost no SuiteCRM writes, 31 (days of hashing per sign-in attempt) or past it (an exception), is
	 * skipped at import rather than stored for every sign-in to run into.
	 */
	@Test
	void importWhenBcryptCostOutsideWhatPortcullisChecksThenSkippedWithWhy() {
		String cost31 = SuiteCrmDatabase.passwordHash("slow-password-1").replaceFirst("^\\$2y\\$10\\$", "\\$2y\\$31\\$");
		this.crm.user("u-slow", "slow", cost31, "Active", false, false)
			.user("u-alice", "alice", "alice-password-1");

		Run run = importSuiteCrm();

		assertThat(run.status()).as(run.err()).isZero();
		assertThat(run.out()).contains("users:   1 imported, 0 updated, 0 unchanged, 1 skipped")
			.contains("user u-slow 'slow': user_hash has bcrypt cost 31, outside the 4 to 12 Portcullis checks");
		assertThat(this.users.findById("u-slow").block(TIMEOUT)).isNull();
	}

	/**
	 * Review: a bare MD5 is kept only under bcrypt (as SuiteCRM's own {@code password_hash} over the MD5), so that a
	 * dormant account's unsalted MD5 is never in the store or its backups; a re-import leaves it as it is.
	 */
	@Test
	void importWhenBareMd5ThenOnlyBcryptOverItIsStoredAndARerunLeavesItUnchanged() {
		String md5 = SuiteCrmDatabase.md5Hex("bob-password-1");
		this.crm.user("u-bob", "bob", md5, "Active", false, false);

		assertThat(importSuiteCrm().out()).contains("users:   1 imported");

		String stored = this.users.findById("u-bob").block(TIMEOUT).passwordHash();
		assertThat(this.users.findAll().map(User::passwordHash).collectList().block(TIMEOUT)).singleElement()
			.asString()
			.startsWith("{suitecrm-md5-bcrypt}$2a$10$")
			.doesNotContain(md5);
		assertThat(importSuiteCrm().out()).contains("users:   0 imported, 0 updated, 1 unchanged, 0 skipped");
		assertThat(this.users.findById("u-bob").block(TIMEOUT).passwordHash()).isEqualTo(stored);

		this.crm.update("UPDATE users SET user_hash = ? WHERE id = 'u-bob'", SuiteCrmDatabase.md5Hex("bob-password-2"));
		assertThat(importSuiteCrm().out()).contains("users:   0 imported, 1 updated, 0 unchanged, 0 skipped");
		assertThat(this.users.findById("u-bob").block(TIMEOUT).passwordHash()).isNotEqualTo(stored)
			.startsWith("{suitecrm-md5-bcrypt}");
	}

	/** Review: a row's text reaches the operator's terminal; escape sequences and line breaks in it are shown escaped. */
	@Test
	void importWhenRowsHoldControlCharactersThenTheSummaryShowsThemEscaped() {
		String evil = "\u001b[2J\r\nevil";
		this.crm.user("u-esc", evil, "esc-password-1")
			.user("u-gone", "gone", SuiteCrmDatabase.passwordHash("gone-1"), "Inactive", false, false)
			.client("c-esc", evil, "esc-secret-0123456789", false, "implicit", null, null, false)
			.client("c-sync", evil, "sync-secret-0123456789", true, "client_credentials", null, "u-gone", false);

		Run run = importSuiteCrm();

		assertThat(run.status()).as(run.err()).isZero();
		assertThat(run.out()).contains("user u-esc '?[2J??evil': username must not contain")
			.contains("client c-esc '?[2J??evil': allowed_grant_type is implicit")
			.contains("client c-sync '?[2J??evil' acts as inactive user 'gone'")
			.doesNotContain("\u001b", "\r");
	}

	/**
	 * Review: an id becomes a token's {@code sub} and the backend's identity header; {@code " 1"} trims to SuiteCRM's
	 * administrator {@code 1} in HTTP parsers, and a line break splits every request proxied for that user.
	 */
	@Test
	void importWhenIdIsNotSuiteCrmsShapeThenSkippedWithWhy() {
		this.crm.user(" 1", "spaced", "spaced-password-1")
			.user("a\r\nb", "split", "split-password-1")
			.user("1", "admin-like", "admin-password-1")
			.client("c{x}", "Braces", "braces-secret-0123456789", true, "password", null, null, false);

		Run run = importSuiteCrm();

		assertThat(run.status()).as(run.err()).isZero();
		assertThat(run.out()).contains("users:   1 imported, 0 updated, 0 unchanged, 2 skipped")
			.contains("clients: 0 imported, 0 updated, 0 unchanged, 1 skipped")
			.contains("user  1 'spaced': id is not SuiteCRM's")
			.contains("user a??b 'split': id is not SuiteCRM's")
			.contains("client c{x} 'Braces': id is not SuiteCRM's");
		assertThat(this.users.findAll().map(User::id).collectList().block(TIMEOUT)).containsExactly("1");
	}

	@Test
	void importWhenBadInputThenOneClearLineAndANonZeroStatus(TestDatabase empty) throws IOException {
		Run wrongPassword = run("suitecrm", "--jdbc-url=" + this.crm.database().jdbcUrl(),
				"--user=" + this.crm.database().user(), "--password-file=" + Files.writeString(Files.createTempFile("pw", ""), "wrong"),
				"--spring.data.redis.url=" + RedisTestSupport.redisUrl(), "--portcullis.redis.namespace=" + this.keys.namespace());
		Run missingTables = run("suitecrm", "--jdbc-url=" + empty.jdbcUrl(), "--user=" + empty.user(),
				"--password-file=" + Files.writeString(Files.createTempFile("pw", ""), empty.password()),
				"--spring.data.redis.url=" + RedisTestSupport.redisUrl(), "--portcullis.redis.namespace=" + this.keys.namespace());
		Run noRedis = run("suitecrm", "--jdbc-url=" + this.crm.database().jdbcUrl(), "--user=" + this.crm.database().user(),
				"--password-file=" + this.passwordFile);
		Run redisDown = run("suitecrm", "--jdbc-url=" + this.crm.database().jdbcUrl(),
				"--user=" + this.crm.database().user(), "--password-file=" + this.passwordFile,
				"--spring.data.redis.url=redis://127.0.0.1:" + TestPorts.free());

		assertFailed(wrongPassword, 1, "import failed: cannot read SuiteCRM's users and oauth2clients at jdbc:mariadb:",
				"Access denied");
		assertFailed(missingTables, 1, "import failed: cannot read SuiteCRM's users and oauth2clients", "doesn't exist");
		assertFailed(noRedis, 1, "import failed: no Redis is configured");
		assertFailed(redisDown, 1, "import failed: the store (Redis) failed:");
		assertFailed(run("suitecrm", "--jdbc-url=jdbc:mysql://localhost/crm", "--user=crm"), 2, "--jdbc-url=jdbc:mariadb:");
		assertFailed(run("suitecrm", "--jdbc-url=jdbc:mariadb://localhost/crm?password=secret", "--user=crm"), 2,
				"--password-file");
		assertFailed(run("suitecrm", "--jdbc-url=jdbc:mariadb://localhost/crm", "--user=crm", "--password=secret"), 2,
				"unknown argument '--password=secret'");
		assertFailed(run("suitecrm", "--jdbc-url=jdbc:mariadb://localhost/crm", "--user=crm", "--dryrun"), 2,
				"unknown argument '--dryrun'");
		assertFailed(run("suitecrm", "--jdbc-url=jdbc:mariadb://localhost/crm", "--user=crm", "--password-file=/nonexistent"),
				1, "cannot read the password file /nonexistent");
		assertFailed(run("sugarcrm"), 2, "unknown import 'sugarcrm'");
		assertThat(this.users.findAll().collectList().block(TIMEOUT)).isEmpty();
	}

	@Test
	void legacyHashesWhenAskedThenTheCountOnly() {
		this.crm.user("u-alice", "alice", "alice-password-1")
			.client("c-app", "Mobile app", "app-secret-0123456789", true, "password", null, null, false);
		importSuiteCrm();

		Run count = run("legacy-hashes", "--spring.data.redis.url=" + RedisTestSupport.redisUrl(),
				"--portcullis.redis.namespace=" + this.keys.namespace());

		assertThat(count.status()).as(count.err()).isZero();
		assertThat(count.out().strip())
			.isEqualTo("SuiteCRM hashes left in Portcullis: 1 client secrets, 1 user passwords (each becomes "
					+ "Portcullis's own hash at its next successful sign-in)");
	}

	private Run importSuiteCrm(String... extra) {
		List<String> arguments = new ArrayList<>(List.of("suitecrm", "--jdbc-url=" + this.crm.database().jdbcUrl(),
				"--user=" + this.crm.database().user(), "--password-file=" + this.passwordFile,
				"--spring.data.redis.url=" + RedisTestSupport.redisUrl(),
				"--portcullis.redis.namespace=" + this.keys.namespace()));
		arguments.addAll(List.of(extra));
		return run(arguments.toArray(String[]::new));
	}

	/** As {@code java -jar portcullis.jar import …} runs it, in this JVM. */
	private static Run run(String... arguments) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = ImportCommand.run(arguments, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private static void assertFailed(Run run, int status, String... messages) {
		assertThat(run.status()).as(run.err()).isEqualTo(status);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).contains(messages).doesNotContain("\tat ", "Exception");
		if (status == 1) {
			assertThat(run.err().strip()).as("one line").doesNotContain("\n");
		}
	}

	private List<String> gatewayProperties() {
		return List.of("server.port=0", "spring.data.redis.url=" + RedisTestSupport.redisUrl(),
				"portcullis.redis.namespace=" + this.keys.namespace(), "portcullis.secrets.bcrypt-strength=4",
				"portcullis.bootstrap.first-admin.password=first-admin-password-1");
	}

	private static Map<String, Object> passwordGrant(ConfigurableApplicationContext gateway, String clientId,
			String secret, String username, String password) {
		return TestGateways.tokenResponse(TestGateways.client(gateway), "grant_type=password&client_id=" + clientId
				+ "&client_secret=" + secret + "&username=" + username + "&password=" + password);
	}

	private List<AuditEvent> auditedBy(String actor) {
		return new RedisAuditLog(this.redis, this.keys, JSON, AuditLog.CAPACITY).recent(0, 100)
			.filter((event) -> event.actor().equals(actor))
			.collectList()
			.block(TIMEOUT);
	}

	private record Run(int status, String out, String err) {
	}

}
