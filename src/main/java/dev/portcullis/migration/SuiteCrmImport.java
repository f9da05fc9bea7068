package dev.portcullis.migration;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.admin.AdministratorsGuard;
import dev.portcullis.admin.AuditTrail;
import dev.portcullis.admin.ChangeDescriptions;
import dev.portcullis.admin.ClientAdministration;
import dev.portcullis.admin.ClientAdministration.ClientCommand;
import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.UsernamePolicy;
import dev.portcullis.migration.SuiteCrmTables.Rows;
import dev.portcullis.migration.SuiteCrmTables.SuiteCrmClient;
import dev.portcullis.migration.SuiteCrmTables.SuiteCrmUser;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.LogSafe;
import dev.portcullis.support.PasswordHasher;
import org.jspecify.annotations.Nullable;

/**
 * Brings SuiteCRM's users and OAuth2 clients into Portcullis under their SuiteCRM ids, so that every integration
 * keeps its {@code client_id} and secret and every user their password: SuiteCRM's hashes are stored as they are
 * (a bare MD5 under bcrypt), marked ({@link PasswordHasher#isLegacy}), and replaced by Portcullis's own at each one's
 * first sign-in. Clients go through the client policy of every other path ({@link ClientAdministration#imported}),
 * usernames through {@link UsernamePolicy}; a row that cannot be taken over as SuiteCRM used it is skipped with the
 * reason, never changed into something else. What the summary quotes from a row goes through {@link LogSafe}: it ends
 * up on the operator's terminal.
 *
 * <p>Run again, it is idempotent: a row that matches what is stored is left untouched; a changed row updates the
 * fields the import describes (a hash only while Portcullis still holds SuiteCRM's, never over its own; a user
 * deactivated, never activated); what only Portcullis describes (scopes, token lifetimes, refresh tokens; a user's
 * administration without {@code --import-admins}) is kept. Every write is a compare-and-set on the record as read, so an administrator's
 * change made meanwhile is not undone, and is audited under {@value #ACTOR}.
 */
final class SuiteCrmImport {

	/** Who the audit log names for what the import writes. */
	static final String ACTOR = "import:suitecrm";

	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

	/** {@code hash('sha256', …)}: what SuiteCRM's {@code ===} can match. */
	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

	private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

	/**
	 * SuiteCRM's ids: 36-character UUIDs, or short ones such as the first administrator's {@code 1}. An id becomes a
	 * token's {@code sub} and the backend's identity header, where a space or a line break would change its meaning.
	 */
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,36}");

	/** What to do besides the rows. */
	record Options(boolean dryRun, boolean importAdmins) {
	}

	private final UserStore users;

	private final ClientStore clients;

	private final ClientAdministration clientAdministration;

	private final AdministratorsGuard administrators;

	private final GrantAdministration grants;

	private final AuditTrail auditTrail;

	private final PasswordHasher hasher;

	SuiteCrmImport(UserStore users, ClientStore clients, ClientAdministration clientAdministration,
			AdministratorsGuard administrators, GrantAdministration grants, AuditTrail auditTrail, PasswordHasher hasher) {
		this.users = users;
		this.clients = clients;
		this.clientAdministration = clientAdministration;
		this.administrators = administrators;
		this.grants = grants;
		this.auditTrail = auditTrail;
		this.hasher = hasher;
	}

	/** Users first, so that the clients acting as them find them. */
	ImportSummary run(Rows rows, Options options) {
		ImportSummary summary = new ImportSummary(options.dryRun());
		Map<String, User> imported = new HashMap<>();
		for (SuiteCrmUser row : rows.users()) {
			String label = "user " + LogSafe.clean(row.id()) + " '" + LogSafe.clean(row.userName()) + "'";
			try {
				User user = importUser(row, options, summary);
				imported.put(user.id(), user);
			}
			catch (Skipped ex) {
				summary.skip(summary.users, label, ex.getMessage());
			}
		}
		for (SuiteCrmClient row : rows.clients()) {
			String label = "client " + LogSafe.clean(row.id()) + " '" + LogSafe.clean(row.name()) + "'";
			try {
				importClient(row, imported, options, summary);
			}
			catch (Skipped ex) {
				summary.skip(summary.clients, label, ex.getMessage());
			}
		}
		countLegacyHashes(summary);
		return summary;
	}

	/** How many of SuiteCRM's hashes Portcullis holds now: the clients and users that have not signed in since. */
	void countLegacyHashes(ImportSummary summary) {
		summary.legacyClientSecrets = Objects.requireNonNull(
				this.clients.findAll().filter((client) -> PasswordHasher.isLegacy(client.secretHash())).count().block(STORE_TIMEOUT));
		summary.legacyUserPasswords = Objects.requireNonNull(
				this.users.findAll().filter((user) -> PasswordHasher.isLegacy(user.passwordHash())).count().block(STORE_TIMEOUT));
	}

	private User importUser(SuiteCrmUser row, Options options, ImportSummary summary) {
		checkId(row.id());
		Map<String, String> problems = new LinkedHashMap<>();
		String username = UsernamePolicy.username(row.userName(), problems);
		if (!problems.isEmpty()) {
			throw new Skipped("username " + problems.get("username"));
		}
		// SuiteCRM's own rule (User::isEnabled): anything but Inactive may sign in
		boolean active = !"Inactive".equalsIgnoreCase(String.valueOf(row.status()).strip());
		User current = this.users.findById(row.id()).block(STORE_TIMEOUT);
		String hash = userHash(row.userHash(), current);
		User owner = this.users.findByUsername(username).block(STORE_TIMEOUT);
		if (owner != null && !owner.id().equals(row.id())) {
			throw new Skipped("the username is another Portcullis user's (id " + owner.id() + ", '" + owner.username()
					+ "'): rename one of them and run the import again");
		}
		if (current == null) {
			User user = new User(row.id(), username, hash, active, options.importAdmins() && row.admin());
			if (!options.dryRun()) {
				save(user);
				this.auditTrail.record(ACTOR, "user.imported", user.id(), "Imported user '" + user.username()
						+ "' from SuiteCRM" + (user.admin() ? " (administrator)" : "") + (user.active() ? "" : " (inactive)"))
					.block(STORE_TIMEOUT);
			}
			summary.users.imported++;
			return user;
		}
		// Portcullis's own hash (a sign-in replaced SuiteCRM's, or an administrator set a password) is never undone
		String passwordHash = PasswordHasher.isLegacy(current.passwordHash()) ? hash : current.passwordHash();
		boolean admin = options.importAdmins() ? row.admin() : current.admin();
		// a user deactivated in SuiteCRM is deactivated here too, but one an administrator deactivated here (a
		// compromised account, say) is never brought back by an import
		User user = new User(row.id(), username, passwordHash, active && current.active(), admin);
		if (user.equals(current)) {
			summary.users.unchanged++;
			return user;
		}
		try {
			this.administrators.checkChange(ACTOR, current, user).block(STORE_TIMEOUT);
		}
		catch (AdministrationRefusedException ex) {
			throw new Skipped(ex.getMessage());
		}
		if (!options.dryRun()) {
			if (replace(current, user) == null) {
				throw changedMeanwhile();
			}
			boolean passwordChanged = !passwordHash.equals(current.passwordHash());
			// as UserAdministration#update: a deactivated user, or one whose password changed, keeps no session
			if ((current.active() && !user.active()) || passwordChanged) {
				this.grants.revokeUserGrants(user.id()).block(STORE_TIMEOUT);
			}
			this.auditTrail.record(ACTOR, "user.updated", user.id(),
					ChangeDescriptions.ofUser(current, user, passwordChanged) + " (from SuiteCRM)").block(STORE_TIMEOUT);
		}
		summary.users.updated++;
		return user;
	}

	/**
	 * SuiteCRM's {@code user_hash} marked with its scheme, as {@code User::checkPasswordMD5} tells them apart: 32
	 * characters not starting with {@code $} are the bare MD5, anything else goes to {@code password_verify}. A hash
	 * no password can match at SuiteCRM is skipped rather than imported as a locked account nobody could explain, and
	 * so is a bcrypt cost Portcullis does not check ({@link PasswordHasher#acceptsBcryptCost}). A bare MD5 is kept only
	 * under bcrypt ({@link PasswordHasher#hashSuiteCrmMd5}): the one stored stays while it is still over that MD5.
	 */
	private String userHash(@Nullable String userHash, @Nullable User current) {
		if (userHash == null || userHash.isEmpty()) {
			throw new Skipped("no password hash (an LDAP, SAML or group user): SuiteCRM's API signs them in with "
					+ "no password either");
		}
		if (!userHash.startsWith("$") && userHash.length() == 32) {
			if (!MD5_HEX.matcher(userHash).matches()) {
				throw new Skipped("user_hash is 32 characters but not lower-case hex MD5: no password matches it at "
						+ "SuiteCRM either");
			}
			return (current != null && this.hasher.matchesSuiteCrmMd5(userHash, current.passwordHash()))
					? current.passwordHash() : this.hasher.hashSuiteCrmMd5(userHash);
		}
		int cost = PasswordHasher.bcryptCost(userHash);
		if (cost < 0) {
			throw new Skipped("user_hash is not bcrypt (PHP's password_hash) nor MD5: Portcullis cannot verify it");
		}
		if (!this.hasher.acceptsBcryptCost(cost)) {
			throw new Skipped("user_hash has bcrypt cost " + cost + ", outside the 4 to " + this.hasher.maxBcryptCost()
					+ " Portcullis checks (each step doubles a sign-in's time; SuiteCRM writes 10): set the user a new "
					+ "password in SuiteCRM and run the import again");
		}
		return PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, userHash);
	}

	private void importClient(SuiteCrmClient row, Map<String, User> imported, Options options,
			ImportSummary summary) {
		checkId(row.id());
		String grant = String.valueOf(row.allowedGrantType()).strip().toLowerCase(Locale.ROOT);
		if (grant.equals("implicit")) {
			throw new Skipped("allowed_grant_type is implicit, which neither SuiteCRM's API nor Portcullis issues "
					+ "tokens for (RFC 9700 §2.1.2)");
		}
		boolean code = grant.equals(GrantType.AUTHORIZATION_CODE.value());
		boolean clientCredentials = grant.equals(GrantType.CLIENT_CREDENTIALS.value());
		// SuiteCRM checks a password client's secret whatever is_confidential says (ClientRepository::validateClient),
		// so such a client keeps its secret here; a client_credentials client needs is_confidential in both
		boolean confidential = (code || clientCredentials) ? row.confidential() : true;
		String secretHash = confidential ? secretHash(row.secret()) : null;
		String associatedUserId = clientCredentials ? associatedUser(row, imported, summary) : null;
		// redirect_url is read by SuiteCRM 7.15's authorization code grant only
		List<String> redirectUris = (code && row.redirectUrl() != null && !row.redirectUrl().isBlank())
				? List.of(row.redirectUrl().strip()) : List.of();
		ClientCommand command = new ClientCommand(row.name(), List.of(grant), null, confidential, associatedUserId,
				redirectUris, List.of(), null, null);
		RegisteredClient current = this.clients.findById(row.id()).block(STORE_TIMEOUT);
		// Portcullis's own hash (a sign-in replaced SuiteCRM's, or an administrator rotated the secret) is never undone
		if (secretHash != null && current != null && current.secretHash() != null
				&& !PasswordHasher.isLegacy(current.secretHash())) {
			secretHash = current.secretHash();
		}
		RegisteredClient client;
		try {
			client = this.clientAdministration.imported(row.id(), command, secretHash, current);
		}
		catch (InvalidFieldsException ex) {
			throw new Skipped(ex.fields()
				.entrySet()
				.stream()
				// the policy quotes what it refuses, a redirect URL or a grant as SuiteCRM holds it
				.map((field) -> field.getKey() + " " + LogSafe.clean(field.getValue()))
				.collect(Collectors.joining("; ")));
		}
		if (current == null) {
			if (!options.dryRun()) {
				this.clients.save(client).block(STORE_TIMEOUT);
				this.auditTrail.record(ACTOR, "client.imported", client.id(), "Imported client '" + client.name()
						+ "' " + client.grantTypes() + " from SuiteCRM").block(STORE_TIMEOUT);
			}
			summary.clients.imported++;
			return;
		}
		if (client.equals(current)) {
			summary.clients.unchanged++;
			return;
		}
		if (!options.dryRun()) {
			if (this.clients.replace(current, client).block(STORE_TIMEOUT) == null) {
				throw changedMeanwhile();
			}
			// as ClientAdministration#update: a narrowed client keeps no grant beyond its new settings
			Long revoked = this.grants.revokeGrantsBeyond(current, client).block(STORE_TIMEOUT);
			this.auditTrail.record(ACTOR, "client.updated", client.id(), ChangeDescriptions.ofClient(current, client)
					+ (((revoked != null) && (revoked > 0)) ? "; revoked " + revoked + " grants it no longer covers" : "")
					+ " (from SuiteCRM)").block(STORE_TIMEOUT);
		}
		summary.clients.updated++;
	}

	private static void checkId(@Nullable String id) {
		if (id == null || !ID.matcher(id).matches()) {
			throw new Skipped("id is not SuiteCRM's (1 to 36 letters, digits, '.', '_' or '-'): it would be the token's "
					+ "sub and the backend's identity header as it is");
		}
	}

	private static String secretHash(@Nullable String secret) {
		if (secret == null || !SHA256_HEX.matcher(secret).matches()) {
			throw new Skipped("secret is not SuiteCRM's hash('sha256', …), 64 lower-case hex digits: no secret matches "
					+ "it at SuiteCRM either");
		}
		return PasswordHasher.marked(PasswordHasher.SUITECRM_SHA256, secret);
	}

	/**
	 * The user a client_credentials client acts as ({@code assigned_user_id}), which must be a Portcullis user: one
	 * this run imported, or one already there.
	 */
	private String associatedUser(SuiteCrmClient row, Map<String, User> imported, ImportSummary summary) {
		String userId = row.assignedUserId();
		if (userId == null || userId.isBlank()) {
			throw new Skipped("a client_credentials client without an associated user (assigned_user_id): SuiteCRM "
					+ "refuses its every token request");
		}
		User user = imported.get(userId);
		if (user == null) {
			user = this.users.findById(userId).block(STORE_TIMEOUT);
		}
		if (user == null) {
			throw new Skipped("its associated user " + LogSafe.clean(userId)
					+ " was not imported (see above, or deleted in SuiteCRM)");
		}
		if (!user.active()) {
			summary.notes.add("client " + LogSafe.clean(row.id()) + " '" + LogSafe.clean(row.name())
					+ "' acts as inactive user '" + LogSafe.clean(user.username())
					+ "': it gets no tokens until an administrator activates that user (SuiteCRM 7.14 let it)");
		}
		return userId;
	}

	private void save(User user) {
		try {
			this.users.save(user).block(STORE_TIMEOUT);
		}
		catch (UsernameTakenException ex) {
			throw new Skipped("the username is another Portcullis user's: rename one of them and run the import again");
		}
	}

	private @Nullable User replace(User current, User user) {
		try {
			return this.users.replace(current, user).block(STORE_TIMEOUT);
		}
		catch (UsernameTakenException ex) {
			throw new Skipped("the username is another Portcullis user's: rename one of them and run the import again");
		}
	}

	private static Skipped changedMeanwhile() {
		return new Skipped("changed in Portcullis while the import ran: nothing was written, run the import again");
	}

	/** A row the import leaves out, and why. */
	private static final class Skipped extends RuntimeException {

		Skipped(String why) {
			super(why, null, false, false);
		}

	}

}
