package dev.portcullis.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The one place that decides where the tests get MariaDB (the SuiteCRM import's source), once per JVM, in the order
 * {@link RedisTestSupport} uses:
 * <ol>
 * <li>the {@code MARIADB_URL} environment variable: a JDBC URL whose account may create databases and users
 * ({@code jdbc:mariadb://host:3306/?user=root&password=…});</li>
 * <li>Debian's {@code mariadb-server} binaries ({@code mariadb-install-db}, {@code mariadbd}), a server of its own
 * in a temporary directory on a free loopback port, stopped and removed when the JVM exits;</li>
 * <li>a Testcontainers {@code mariadb:10.11} when a Docker engine answers.</li>
 * </ol>
 * When none works the tests fail with what was tried, never skip. The system service the Debian package installs is
 * never used: it may not run (no init system in a container) and is not the tests' to change.
 */
public final class MariaDbTestSupport {

	private static final Log logger = LogFactory.getLog(MariaDbTestSupport.class);

	private static final String IMAGE = "mariadb:10.11";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	/** Where Debian puts the server; not on a non-root user's PATH. */
	private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin",
			"/usr/local/bin");

	private static @Nullable String adminUrl;

	private static @Nullable String failure;

	private MariaDbTestSupport() {
	}

	/** A JDBC URL (with its account in it) that may create databases and users, found or started on first use. */
	public static synchronized String adminUrl() {
		if (adminUrl == null) {
			if (failure != null) {
				throw new IllegalStateException(failure);
			}
			List<String> tried = new ArrayList<>();
			adminUrl = find(tried);
			if (adminUrl == null) {
				failure = "No MariaDB for the tests. Tried, in order: " + String.join("; ", tried)
						+ ". Set MARIADB_URL, install mariadb-server (./run-tests does) or start Docker.";
				throw new IllegalStateException(failure);
			}
		}
		return adminUrl;
	}

	/**
	 * A new, empty database and an account of its own with a password, which may use only that database: what a
	 * SuiteCRM installation gives its application.
	 */
	public static TestDatabase newDatabase() {
		String suffix = SecureIds.randomHex(6);
		String database = "suitecrm_" + suffix;
		String user = "crm_" + suffix;
		String password = SecureIds.randomHex(12);
		try (Connection connection = DriverManager.getConnection(adminUrl());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
			statement.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
			statement.execute("GRANT ALL PRIVILEGES ON " + database + ".* TO '" + user + "'@'%'");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create a test database: " + ex.getMessage(), ex);
		}
		return new TestDatabase(serverUrl() + database, user, password);
	}

	/** {@link #adminUrl()} without its query: {@code jdbc:mariadb://host:port/}. */
	private static String serverUrl() {
		String url = adminUrl();
		int query = url.indexOf('?');
		String base = (query < 0) ? url : url.substring(0, query);
		return base.endsWith("/") ? base : base.substring(0, base.lastIndexOf('/') + 1);
	}

	private static @Nullable String find(List<String> tried) {
		String fromEnvironment = System.getenv("MARIADB_URL");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return using(fromEnvironment, "the MARIADB_URL environment variable");
		}
		tried.add("MARIADB_URL is not set");
		String server = binary("mariadbd");
		String installer = binary("mariadb-install-db");
		if (server == null || installer == null) {
			tried.add("no mariadbd and mariadb-install-db on PATH or in " + SYSTEM_DIRECTORIES);
		}
		else {
			try {
				return using(startLocal(installer, server), "mariadbd (" + server + ")");
			}
			catch (RuntimeException ex) {
				tried.add(server + " did not start: " + ex.getMessage());
			}
		}
		try {
			if (DockerClientFactory.instance().isDockerAvailable()) {
				return using(startContainer(), "Testcontainers " + IMAGE);
			}
			tried.add("no Docker engine for Testcontainers");
		}
		catch (RuntimeException ex) {
			tried.add("Testcontainers " + IMAGE + " did not start: " + ex.getMessage());
		}
		return null;
	}

	private static String using(String url, String source) {
		logger.info("Tests use MariaDB at " + url.replaceAll("password=[^&]*", "password=…") + " from " + source);
		return url;
	}

	private static @Nullable String binary(String name) {
		List<String> directories = new ArrayList<>(
				List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
		directories.addAll(SYSTEM_DIRECTORIES);
		for (String directory : directories) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, name);
				if (Files.isExecutable(candidate)) {
					return candidate.toString();
				}
			}
		}
		return null;
	}

	/**
	 * A data directory made by {@code mariadb-install-db}, then {@code mariadbd} on it: no option files read
	 * ({@code --no-defaults}, so nothing of the system service's configuration applies), root by password (empty)
	 * rather than by Unix socket, loopback only, its socket and pid file in the same directory.
	 */
	private static String startLocal(String installer, String server) {
		Path directory;
		try {
			directory = Files.createTempDirectory("portcullis-mariadb");
		}
		catch (IOException ex) {
			throw new IllegalStateException("no temporary directory: " + ex.getMessage(), ex);
		}
		Path data = directory.resolve("data");
		Path log = directory.resolve("server.log");
		// mariadbd refuses to run as root unless told which user to run as
		List<String> asRoot = "root".equals(System.getProperty("user.name")) ? List.of("--user=root") : List.of();
		List<String> install = new ArrayList<>(List.of(installer, "--no-defaults",
				"--auth-root-authentication-method=normal", "--skip-test-db", "--datadir=" + data));
		install.addAll(asRoot);
		run(install, directory.resolve("install.log"));
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(server, "--no-defaults", "--datadir=" + data,
				"--port=" + port, "--bind-address=127.0.0.1", "--socket=" + directory.resolve("sock"),
				"--pid-file=" + directory.resolve("pid"), "--skip-name-resolve", "--innodb-buffer-pool-size=32M"));
		command.addAll(asRoot);
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, directory), "mariadb-stop"));
		awaitPort(port, process, log);
		return "jdbc:mariadb://127.0.0.1:" + port + "/?user=root";
	}

	private static void run(List<String> command, Path log) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			if (!process.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command.get(0) + " did not finish within " + STARTUP_TIMEOUT);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(command.get(0) + " exited with status " + process.exitValue() + ": "
						+ tail(log));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** A clean shutdown (SIGTERM), then the directory goes: nothing is left in the temporary directory. */
	private static void stop(Process process, Path directory) {
		process.destroy();
		try {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind is no reason to fail the run's exit
		}
	}

	private static String startContainer() {
		String password = SecureIds.randomHex(12);
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
			.withEnv("MARIADB_ROOT_PASSWORD", password)
			.withExposedPorts(3306)
			.waitingFor(Wait.forLogMessage(".*ready for connections.*", 2));
		container.start(); // Testcontainers' Ryuk removes it when the JVM exits
		return "jdbc:mariadb://" + container.getHost() + ":" + container.getMappedPort(3306) + "/?user=root&password="
				+ password;
	}

	/** Waits until the server accepts connections: it listens only once it is ready to serve. */
	private static void awaitPort(int port, Process process, Path log) {
		Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("it exited with status " + process.exitValue() + ": " + tail(log));
			}
			try (Socket ignored = new Socket("127.0.0.1", port)) {
				return;
			}
			catch (IOException notYet) {
				sleep();
			}
		}
		process.destroy();
		throw new IllegalStateException("port " + port + " did not open within " + STARTUP_TIMEOUT + ": " + tail(log));
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("no free port: " + ex.getMessage(), ex);
		}
	}

	/**
	 * A database of its own and the account that may use it.
	 * @param jdbcUrl {@code jdbc:mariadb://host:port/database}, without credentials
	 */
	public record TestDatabase(String jdbcUrl, String user, String password) {

		public Connection connect() throws SQLException {
			return DriverManager.getConnection(this.jdbcUrl, this.user, this.password);
		}

	}

	/**
	 * The extension behind {@link RequiresMariaDb}: fails the class before it runs when no MariaDB can be had, and
	 * resolves {@link TestDatabase} parameters to a new database each.
	 */
	public static final class Extension implements BeforeAllCallback, ParameterResolver {

		@Override
		public void beforeAll(ExtensionContext context) {
			adminUrl();
		}

		@Override
		public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
			return parameterContext.getParameter().getType() == TestDatabase.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
			return newDatabase();
		}

	}

}
