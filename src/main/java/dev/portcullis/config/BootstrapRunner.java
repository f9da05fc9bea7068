package dev.portcullis.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.portcullis.admin.ClientAdministration;
import dev.portcullis.admin.ClientAdministration.ClientCommand;
import dev.portcullis.admin.ClientAdministration.ConfiguredClient;
import dev.portcullis.admin.ClientPolicy;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.Secrets;
import dev.portcullis.admin.UserAdministration;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.SecureIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Creates or updates the clients and users listed under {@code portcullis.bootstrap} at every start, so that a
 * first run has something to log in with and teams can keep clients in git. Ids not given are derived from the name
 * (or username), so a restart updates the same record instead of adding another. A secret or password that still
 * matches its stored hash is not rehashed.
 *
 * <p>Runs on the main thread once every bean exists and before any server is started (servers start with the
 * context's lifecycle, after this), so the first request on a newly opened port already finds the configured clients
 * and users: an {@code ApplicationRunner} would run only after the port opened. Waiting for the store is fine here;
 * a bad entry stops the start with a message that names it.
 */
@Component
public class BootstrapRunner implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(BootstrapRunner.class);

	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

	private final PortcullisProperties.Bootstrap bootstrap;

	private final ClientAdministration clients;

	private final UserAdministration users;

	public BootstrapRunner(PortcullisProperties properties, ClientAdministration clients, UserAdministration users) {
		this.bootstrap = properties.getBootstrap();
		this.clients = clients;
		this.users = users;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<User> unindexed = this.users.reindexUsernames().collectList().block(STORE_TIMEOUT);
		for (User user : (unindexed != null) ? unindexed : List.<User>of()) {
			logger.warn("User '{}' (id {}) has a name another user's maps to under RFC 8265: rename one of them",
					user.username(), user.id());
		}
		this.bootstrap.getUsers().forEach(this::upsertUser);
		this.bootstrap.getClients().forEach(this::upsertClient);
		ensureAnAdministrator();
	}

	/**
	 * On a first start with no administrator at all, creates one so that the admin API can be reached: with the
	 * configured password, or a generated one written to a file only this process's user can read (logs are often
	 * shipped to a log store, so the password never goes there). Replicas racing here create one between them (or one
	 * each, when the username is taken by a user who is no administrator).
	 */
	private void ensureAnAdministrator() {
		if (Boolean.TRUE.equals(this.users.anyActiveAdministrator().block(STORE_TIMEOUT))) {
			return;
		}
		PortcullisProperties.FirstAdmin first = this.bootstrap.getFirstAdmin();
		String username = Boolean.TRUE.equals(this.users.isUsernameTaken(first.getUsername()).block(STORE_TIMEOUT))
				? first.getUsername() + "-" + SecureIds.randomHex(3) : first.getUsername();
		String password = first.getPassword();
		boolean generated = (password == null || password.isEmpty());
		if (generated) {
			password = Secrets.newPassword();
			writeOwnerOnly(first.getPasswordFile(), username, password);
		}
		try {
			this.users.createFirstAdministrator(username, password).block(STORE_TIMEOUT);
		}
		catch (UsernameTakenException ex) {
			// replicas starting together on an empty store: another one created it since the check above
			if (generated) {
				deleteQuietly(first.getPasswordFile());
			}
			if (Boolean.TRUE.equals(this.users.anyActiveAdministrator().block(STORE_TIMEOUT))) {
				logger.info("Another replica created the first administrator '{}' at the same moment; its password "
						+ "is where that replica says", username);
				return;
			}
			throw ex;
		}
		if (generated) {
			logger.warn("No administrator existed, so '{}' was created. Its generated password is in {} (readable by "
					+ "this process's user only): sign in, change it and delete the file, or set "
					+ "portcullis.bootstrap.first-admin.password.", username, first.getPasswordFile());
		}
		else {
			logger.warn("No administrator existed, so '{}' was created with the password of "
					+ "portcullis.bootstrap.first-admin.password.", username);
		}
	}

	/**
	 * Writes the generated password to a new file with permissions rw------- (where the file system has POSIX
	 * permissions). A file already there is replaced, never written through: in a shared temporary directory it
	 * could be someone else's link.
	 */
	private static void writeOwnerOnly(Path file, String username, String password) {
		try {
			Files.deleteIfExists(file);
			FileAttribute<?>[] ownerOnly = file.getFileSystem().supportedFileAttributeViews().contains("posix")
					? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
					: new FileAttribute<?>[0];
			Files.createFile(file, ownerOnly);
			Files.writeString(file, "username=" + username + "\npassword=" + password + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("No administrator exists and the generated password of the first one cannot "
					+ "be written to " + file + " (" + ex + "): set portcullis.bootstrap.first-admin.password, or "
					+ "portcullis.bootstrap.first-admin.password-file to a writable place", ex);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Could not delete {}, which holds a password no administrator has: delete it", file);
		}
	}

	private void upsertUser(PortcullisProperties.BootstrapUser configured) {
		String id = Objects.requireNonNullElseGet(configured.getId(),
				() -> derivedId("user:" + User.normalize(configured.getUsername())));
		Boolean created;
		try {
			created = this.users.configure(id, configured.getUsername(), configured.getPassword(), configured.isActive(),
					configured.isAdmin()).block(STORE_TIMEOUT);
		}
		catch (InvalidFieldsException ex) {
			throw new IllegalStateException("portcullis.bootstrap.users '" + configured.getUsername() + "': username "
					+ ex.fields().get("username"));
		}
		logger.info("Bootstrap user '{}' (id {}) {}", configured.getUsername(), id,
				Boolean.TRUE.equals(created) ? "created" : "updated");
	}

	private void upsertClient(PortcullisProperties.BootstrapClient configured) {
		String id = Objects.requireNonNullElseGet(configured.getId(), () -> derivedId("client:" + configured.getName()));
		String secret = (configured.getSecret() != null && !configured.getSecret().isEmpty()) ? configured.getSecret()
				: null;
		// a client is confidential when configured with a secret, unless it says otherwise
		boolean confidential = Objects.requireNonNullElse(configured.getConfidential(), secret != null);
		ClientCommand command = new ClientCommand(configured.getName(), List.copyOf(configured.getGrantTypes()), secret,
				confidential, configured.getAssociatedUser(),
				configured.getRedirectUris().stream().map(URI::toString).toList(), List.copyOf(configured.getScopes()),
				configured.getAccessTokenTtl(), configured.getRefreshTokenTtl(), configured.getRefreshTokens(),
				configured.isIntrospection(), configured.getBackendCredential(), configured.getSigningAlgorithm());
		ConfiguredClient result;
		try {
			result = this.clients.configure(id, command).block(STORE_TIMEOUT);
		}
		catch (InvalidFieldsException ex) {
			// the rules the admin API and pages apply too; only the way of reporting them is bootstrap's
			throw invalid(configured, ex.fields());
		}
		if (this.clients.isWeak(secret)) {
			logger.warn("Bootstrap client '{}' has a secret shorter than {} characters: fine for a demo, too easy to "
					+ "guess in production", configured.getName(), ClientPolicy.RECOMMENDED_SECRET_LENGTH);
		}
		RegisteredClient client = Objects.requireNonNull(result).client();
		logger.info("Bootstrap client '{}' (client_id {}, grants {}) {}", client.name(), id, client.grantTypes(),
				result.created() ? "created" : "updated" + ((result.revoked() > 0)
						? ", " + result.revoked() + " grants it no longer covers revoked" : ""));
	}

	private static String derivedId(String seed) {
		return UUID.nameUUIDFromBytes(("portcullis:" + seed).getBytes(StandardCharsets.UTF_8)).toString();
	}

	/** Names each field as it is written under portcullis.bootstrap.clients[n] (grant-types, not grantTypes). */
	private static IllegalStateException invalid(PortcullisProperties.BootstrapClient client,
			Map<String, String> problems) {
		StringBuilder why = new StringBuilder();
		problems.forEach((field, problem) -> why.append((why.length() > 0) ? "; " : "")
			.append(field.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT))
			.append(": ")
			.append(problem));
		return invalid(client, why.toString());
	}

	private static IllegalStateException invalid(PortcullisProperties.BootstrapClient client, String why) {
		return new IllegalStateException("portcullis.bootstrap.clients '" + client.getName() + "': " + why);
	}

}
