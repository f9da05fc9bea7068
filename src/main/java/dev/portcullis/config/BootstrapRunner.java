package dev.portcullis.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import dev.portcullis.admin.ClientPolicy;
import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.UserLookup;
import dev.portcullis.admin.UsernamePolicy;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.SecureIds;
import org.jspecify.annotations.Nullable;
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

	private final ClientStore clients;

	private final UserStore users;

	private final UserLookup userLookup;

	private final PasswordHasher hasher;

	private final GrantAdministration grants;

	private final ClientPolicy policy;

	public BootstrapRunner(PortcullisProperties properties, ClientStore clients, UserStore users,
			PasswordHasher hasher, GrantAdministration grants, ClientPolicy policy) {
		this.bootstrap = properties.getBootstrap();
		this.clients = clients;
		this.users = users;
		this.userLookup = new UserLookup(users);
		this.hasher = hasher;
		this.grants = grants;
		this.policy = policy;
	}

	@Override
	public void afterSingletonsInstantiated() {
		reindexUsernames();
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
		Boolean anyAdmin = this.users.findAll().any(User::admin).block(STORE_TIMEOUT);
		if (Boolean.TRUE.equals(anyAdmin)) {
			return;
		}
		PortcullisProperties.FirstAdmin first = this.bootstrap.getFirstAdmin();
		String username = (this.users.findByUsername(first.getUsername()).block(STORE_TIMEOUT) == null)
				? first.getUsername() : first.getUsername() + "-" + SecureIds.randomHex(3);
		String password = first.getPassword();
		boolean generated = (password == null || password.isEmpty());
		if (generated) {
			password = SecureIds.randomHex(12);
			writeOwnerOnly(first.getPasswordFile(), username, password);
		}
		User admin = new User(UUID.randomUUID().toString(), username, this.hasher.hash(password), true, true);
		try {
			this.users.save(admin).block(STORE_TIMEOUT);
		}
		catch (UsernameTakenException ex) {
			// replicas starting together on an empty store: another one created it since the check above
			if (generated) {
				deleteQuietly(first.getPasswordFile());
			}
			if (Boolean.TRUE.equals(this.users.findAll().any(User::admin).block(STORE_TIMEOUT))) {
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

	/**
	 * Users stored before usernames were compared under RFC 8265 (issue 13) are indexed under their name lowercased
	 * only; those whose name the profile maps further (fullwidth letters, decomposed accents) are saved again, which
	 * indexes them under {@link User#normalize} and frees the old key, so that a look-alike cannot be registered
	 * beside them and every spelling signs them in. Two such users whose names now map to one keep their old keys,
	 * and the log says so: an administrator must rename one.
	 */
	private void reindexUsernames() {
		List<User> stale = this.users.findAll()
			.filter((user) -> !User.normalize(user.username()).equals(user.username().toLowerCase(Locale.ROOT)))
			.collectList()
			.block(STORE_TIMEOUT);
		for (User user : (stale != null) ? stale : List.<User>of()) {
			try {
				this.users.save(user).block(STORE_TIMEOUT);
			}
			catch (UsernameTakenException ex) {
				logger.warn("User '{}' (id {}) has a name another user's maps to under RFC 8265: rename one of them",
						user.username(), user.id());
			}
		}
	}

	private void upsertUser(PortcullisProperties.BootstrapUser configured) {
		Map<String, String> problems = new LinkedHashMap<>();
		String username = UsernamePolicy.username(configured.getUsername(), problems);
		if (!problems.isEmpty()) {
			throw new IllegalStateException("portcullis.bootstrap.users '" + configured.getUsername() + "': username "
					+ problems.get("username"));
		}
		String id = Objects.requireNonNullElseGet(configured.getId(),
				() -> derivedId("user:" + User.normalize(configured.getUsername())));
		User existing = this.users.findById(id).block(STORE_TIMEOUT);
		String passwordHash = (existing != null && this.hasher.matches(configured.getPassword(), existing.passwordHash()))
				? existing.passwordHash() : this.hasher.hash(configured.getPassword());
		User user = new User(id, username, passwordHash, configured.isActive(), configured.isAdmin());
		this.users.save(user).block(STORE_TIMEOUT);
		logger.info("Bootstrap user '{}' (id {}) {}", user.username(), id, (existing == null) ? "created" : "updated");
	}

	private void upsertClient(PortcullisProperties.BootstrapClient configured) {
		String id = Objects.requireNonNullElseGet(configured.getId(), () -> derivedId("client:" + configured.getName()));
		// the rules the admin API and pages apply too; only the way of reporting them is bootstrap's
		Map<String, String> problems = new LinkedHashMap<>();
		String name = this.policy.name(configured.getName(), problems);
		Set<GrantType> grantTypes = this.policy.grantTypes(List.copyOf(configured.getGrantTypes()), problems);
		boolean hasSecret = configured.getSecret() != null && !configured.getSecret().isEmpty();
		boolean confidential = Objects.requireNonNullElse(configured.getConfidential(), hasSecret);
		if (confidential && !hasSecret) {
			problems.put("secret", "a confidential client needs a secret");
		}
		this.policy.secret(configured.getSecret(), problems);
		List<String> redirectUris = this.policy
			.redirectUris(configured.getRedirectUris().stream().map(URI::toString).toList(), problems);
		Set<String> scopes = this.policy.scopes(List.copyOf(configured.getScopes()), problems);
		this.policy.tokenTtl("accessTokenTtl", configured.getAccessTokenTtl(), problems);
		this.policy.tokenTtl("refreshTokenTtl", configured.getRefreshTokenTtl(), problems);
		boolean refreshTokens = this.policy.refreshTokens(grantTypes, configured.getRefreshTokens(), true, problems);
		this.policy.combination(grantTypes, confidential, redirectUris, problems);
		if (!problems.isEmpty()) {
			throw invalid(configured, problems);
		}
		if (this.policy.isWeak(configured.getSecret())) {
			logger.warn("Bootstrap client '{}' has a secret shorter than {} characters: fine for a demo, too easy to "
					+ "guess in production", name, ClientPolicy.RECOMMENDED_SECRET_LENGTH);
		}
		RegisteredClient existing = this.clients.findById(id).block(STORE_TIMEOUT);
		String secretHash = null;
		if (hasSecret) {
			secretHash = (existing != null && this.hasher.matches(configured.getSecret(), existing.secretHash()))
					? existing.secretHash() : this.hasher.hash(configured.getSecret());
		}
		RegisteredClient client = new RegisteredClient(id, name, secretHash, confidential, grantTypes,
				associatedUserId(configured), redirectUris, scopes,
				ClientPolicy.storedTtl(configured.getAccessTokenTtl(), null),
				ClientPolicy.storedTtl(configured.getRefreshTokenTtl(), null), refreshTokens);
		this.clients.save(client).block(STORE_TIMEOUT);
		// a client narrowed in configuration keeps no grant beyond its new settings
		Long revoked = (existing != null) ? this.grants.revokeGrantsBeyond(existing, client).block(STORE_TIMEOUT) : null;
		logger.info("Bootstrap client '{}' (client_id {}, grants {}) {}", client.name(), id, grantTypes,
				(existing == null) ? "created" : "updated" + ((revoked != null && revoked > 0)
						? ", " + revoked + " grants it no longer covers revoked" : ""));
	}

	private @Nullable String associatedUserId(PortcullisProperties.BootstrapClient configured) {
		String reference = configured.getAssociatedUser();
		if (reference == null || reference.isBlank()) {
			return null;
		}
		User user = this.userLookup.find(reference)
			.blockOptional(STORE_TIMEOUT)
			.orElseThrow(() -> invalid(configured, "associated-user '" + reference + "' is no known username or user id"));
		return user.id();
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
