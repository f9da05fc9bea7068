package dev.portcullis.migration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.portcullis.config.PortcullisProperties;
import dev.portcullis.migration.SuiteCrmTables.Rows;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;

/**
 * {@code java -jar portcullis.jar import …}: the one-shot commands that bring another installation's clients and
 * users into Portcullis's store.
 * <ul>
 * <li>{@code import suitecrm --jdbc-url=jdbc:mariadb://host:3306/suitecrm --user=… [--password-file=…] [--dry-run]
 * [--import-admins]} reads SuiteCRM's tables and writes what they hold (see {@link SuiteCrmImport}), then prints a
 * summary;</li>
 * <li>{@code import legacy-hashes} prints how many of SuiteCRM's hashes Portcullis still holds.</li>
 * </ul>
 * The database password comes from a file, never the command line ({@code ps} shows that to every user). Other
 * {@code --name=value} arguments are settings, as for the gateway ({@code --spring.data.redis.url=…}); the
 * environment and configuration files work as for the gateway too. A bad argument, an unreachable database or store
 * gives one line on standard error and a non-zero status: 2 for the command line, 1 for the rest.
 */
public final class ImportCommand {

	private static final String USAGE = "usage: java -jar portcullis.jar import suitecrm --jdbc-url=jdbc:mariadb://HOST:3306/DATABASE "
			+ "--user=USER [--password-file=FILE] [--dry-run] [--import-admins] [--SETTING=VALUE …]\n"
			+ "       java -jar portcullis.jar import legacy-hashes [--SETTING=VALUE …]";

	private static final Set<String> OPTIONS = Set.of("jdbc-url", "user", "password-file", "dry-run", "import-admins");

	private ImportCommand() {
	}

	/**
	 * Runs {@code import} with the arguments after it.
	 * @return the exit status: 0 when it ran (rows skipped with a reason included), 1 when it failed, 2 for a bad
	 * command line
	 */
	public static int run(String[] arguments, PrintStream out, PrintStream err) {
		List<String> settings = new ArrayList<>();
		Map<String, String> options = new LinkedHashMap<>();
		String what = (arguments.length > 0) ? arguments[0] : "";
		for (int i = 1; i < arguments.length; i++) {
			String argument = arguments[i];
			int equals = argument.indexOf('=');
			String name = argument.startsWith("--") ? argument.substring(2, (equals < 0) ? argument.length() : equals) : "";
			if (OPTIONS.contains(name)) {
				options.put(name, (equals < 0) ? "" : argument.substring(equals + 1));
			}
			else if (name.contains(".") && equals > 0) {
				settings.add(argument);
			}
			else {
				// a mistyped --dry-run must not become a real run
				return usage(err, "unknown argument '" + argument + "'");
			}
		}
		if (what.equals("legacy-hashes") && options.isEmpty()) {
			return inContext(settings, err, (suiteCrmImport) -> {
				ImportSummary summary = new ImportSummary(false);
				suiteCrmImport.countLegacyHashes(summary);
				out.println(summary.legacyHashes());
			});
		}
		if (!what.equals("suitecrm")) {
			return usage(err, what.isEmpty() ? "say what to import" : "unknown import '" + what + "'");
		}
		String jdbcUrl = options.get("jdbc-url");
		if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:mariadb:")) {
			return usage(err, "--jdbc-url=jdbc:mariadb://HOST:PORT/DATABASE is required (the MariaDB driver reads MySQL "
					+ "too: write jdbc:mariadb: for either)");
		}
		if (jdbcUrl.toLowerCase(Locale.ROOT).contains("password=")) {
			return usage(err, "put the database password in a file (--password-file), not in the JDBC URL: the command "
					+ "line is visible to every user of this machine");
		}
		String user = options.get("user");
		if (user == null || user.isEmpty()) {
			return usage(err, "--user=USER is required");
		}
		String password;
		try {
			password = password(options.get("password-file"));
		}
		catch (IOException ex) {
			String why = (ex instanceof NoSuchFileException) ? "there is no such file"
					: (ex instanceof AccessDeniedException) ? "this user may not read it" : ex.getMessage();
			err.println("import failed: cannot read the password file " + options.get("password-file") + ": " + why);
			return 1;
		}
		SuiteCrmImport.Options importOptions = new SuiteCrmImport.Options(options.containsKey("dry-run"),
				options.containsKey("import-admins"));
		return inContext(settings, err, (suiteCrmImport) -> {
			Rows rows;
			try {
				rows = SuiteCrmTables.read(jdbcUrl, user, password);
			}
			catch (SQLException ex) {
				throw new ImportFailedException("cannot read SuiteCRM's users and oauth2clients at " + jdbcUrl + ": "
						+ ex.getMessage());
			}
			suiteCrmImport.run(rows, importOptions).print(out);
		});
	}

	/** The first line of the file, without its line end (a password may hold spaces, so nothing else is trimmed). */
	private static @Nullable String password(@Nullable String file) throws IOException {
		if (file == null) {
			return null;
		}
		List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
		return lines.isEmpty() ? "" : lines.get(0);
	}

	/**
	 * Starts the import's context (see {@link ImportConfiguration}) with the settings, runs the work in it and closes
	 * it; what goes wrong is one line on {@code err}, never a stack trace.
	 */
	private static int inContext(List<String> settings, PrintStream err, Work work) {
		// a store in this process's memory would be gone when the command ends: refused before anything is built
		ApplicationListener<ApplicationEnvironmentPreparedEvent> storeCheck = (event) -> {
			if ("memory".equals(event.getEnvironment().getProperty(PortcullisProperties.PREFIX + ".store"))) {
				throw new ImportFailedException("no Redis is configured (spring.data.redis.url, or the gateway's other "
						+ "Redis settings): an import into this process's memory would be lost when it ends");
			}
		};
		// @formatter:off
		SpringApplicationBuilder application = new SpringApplicationBuilder(ImportConfiguration.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.listeners(storeCheck)
			// the summary is the output: only warnings besides it, and no stack trace for a failed start
			.properties("logging.level.root=warn", "logging.level.org.springframework.boot.SpringApplication=off",
					"logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter=off",
					// the import never listens to revocations; that the channel goes with the context is no news
					"logging.level.dev.portcullis.store.redis.RevocationEvents=error",
					"spring.main.register-shutdown-hook=false");
		// @formatter:on
		try (ConfigurableApplicationContext context = application.run(settings.toArray(String[]::new))) {
			work.run(context.getBean(SuiteCrmImport.class));
			return 0;
		}
		catch (RuntimeException ex) {
			err.println("import failed: " + reason(ex));
			return 1;
		}
	}

	/** The innermost message that says something, on one line, and whether it came from the store or the settings. */
	private static String reason(Throwable failure) {
		Throwable cause = failure;
		String message = failure.toString();
		boolean store = false;
		boolean start = false;
		while (cause != null) {
			if (cause instanceof ImportFailedException) {
				return cause.getMessage();
			}
			store |= cause instanceof DataAccessException;
			start |= cause instanceof BeansException;
			if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
				message = cause.getMessage();
			}
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		return (start ? "could not start (check the settings): " : "") + (store ? "the store (Redis) failed: " : "")
				+ message.replaceAll("\\s+", " ").strip()
				+ (store ? " (what was written before stays; run the import again)" : "");
	}

	private static int usage(PrintStream err, String problem) {
		err.println("import: " + problem);
		err.println(USAGE);
		return 2;
	}

	@FunctionalInterface
	private interface Work {

		void run(SuiteCrmImport suiteCrmImport);

	}

	/** A failure the command explains in its own words. */
	static final class ImportFailedException extends RuntimeException {

		ImportFailedException(String message) {
			super(message, null, false, false);
		}

	}

}
