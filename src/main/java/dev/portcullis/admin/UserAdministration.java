package dev.portcullis.admin;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.SecureIds;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Creating and changing users, for the JSON API, the pages and bootstrap alike: the user rules, a generated password
 * when none is typed, the administrators guard, revoking the tokens of a user who is deactivated, deleted or given a
 * new password, and the audit entry. A generated password is returned once; only its hash is kept.
 */
public final class UserAdministration {

	private final UserStore users;

	private final ClientStore clients;

	private final GrantAdministration grants;

	private final AdministratorsGuard administrators;

	private final AuditTrail auditTrail;

	private final Secrets secrets;

	public UserAdministration(UserStore users, ClientStore clients, GrantAdministration grants,
			AdministratorsGuard administrators, AuditTrail auditTrail, Secrets secrets) {
		this.users = users;
		this.clients = clients;
		this.grants = grants;
		this.administrators = administrators;
		this.auditTrail = auditTrail;
		this.secrets = secrets;
	}

	/** What is asked of a user; on an update {@code null} keeps a field as it is. */
	public record UserCommand(@Nullable String username, @Nullable String password, @Nullable Boolean active,
			@Nullable Boolean admin) {
	}

	/** A user as saved, with the password generated for them (to show once), if one was. */
	public record UserWithPassword(User user, @Nullable String generatedPassword) {
	}

	/**
	 * A user as changed, and the names of the clients that act as them and get no tokens from now on (the user was
	 * just deactivated), which the administrator is told rather than finding out from the integration.
	 */
	public record UpdatedUser(User user, List<String> clientsNowFailing) {
	}

	/** The columns the user list sorts by: username (as compared), active (active first), admin (administrators first). */
	public static final Map<String, Comparator<User>> SORT_COLUMNS = columns(
			Comparator.comparing((User user) -> User.normalize(user.username())),
			Comparator.comparing((User user) -> !user.active()), Comparator.comparing((User user) -> !user.admin()));

	/** The users whose username contains {@code search} (all for none), by username. */
	public Flux<User> search(@Nullable String search) {
		return search(search, Listing.Order.ascending("username"));
	}

	/**
	 * The users whose username contains {@code search} (all for none), in {@code order} (one of
	 * {@link #SORT_COLUMNS}), then by username and id; {@link InvalidFieldsException} on {@code sort} for another column.
	 */
	public Flux<User> search(@Nullable String search, Listing.Order order) {
		return Flux.defer(() -> {
			Comparator<User> byUsername = SORT_COLUMNS.get("username").thenComparing(User::id);
			Comparator<User> sorted = Listing.comparator(SORT_COLUMNS, order, byUsername);
			// @formatter:off
			return this.users.findAll()
					.filter((user) -> search == null || search.isBlank() || User.normalize(user.username()).contains(User.normalize(search)))
					.sort(sorted);
			// @formatter:on
		});
	}

	private static Map<String, Comparator<User>> columns(Comparator<User> username, Comparator<User> active,
			Comparator<User> admin) {
		Map<String, Comparator<User>> columns = new LinkedHashMap<>();
		columns.put("username", username);
		columns.put("active", active);
		columns.put("admin", admin);
		return Collections.unmodifiableMap(columns);
	}

	/** The user; {@link NoSuchObjectException} when there is none. */
	public Mono<User> find(String id) {
		return this.users.findById(id).switchIfEmpty(Mono.error(() -> new NoSuchObjectException("user", id)));
	}

	public Mono<UserWithPassword> create(UserCommand command, String actor) {
		return Mono.defer(() -> {
			Map<String, String> problems = new LinkedHashMap<>();
			String username = UsernamePolicy.username(command.username(), problems);
			checkPassword(command.password(), problems);
			InvalidFieldsException.check(problems);
			String password = (command.password() != null) ? command.password() : Secrets.newPassword();
			// @formatter:off
			return this.secrets.hashPassword(password)
					.map((hash) -> new User(SecureIds.randomUuid().toString(), username, hash,
							command.active() == null || command.active(), Boolean.TRUE.equals(command.admin())))
					.flatMap(this.users::save)
					.flatMap((user) -> this.auditTrail.record(actor, "user.created", user.id(), "Created user '" + user.username() + "'"
							+ (user.admin() ? " (administrator)" : ""))
							.thenReturn(new UserWithPassword(user, (command.password() == null) ? password : null)));
			// @formatter:on
		});
	}

	public Mono<UpdatedUser> update(String id, UserCommand command, String actor) {
		return find(id).flatMap((current) -> {
			Map<String, String> problems = new LinkedHashMap<>();
			String username = (command.username() != null) ? UsernamePolicy.username(command.username(), problems)
					: current.username();
			checkPassword(command.password(), problems);
			InvalidFieldsException.check(problems);
			boolean active = (command.active() != null) ? command.active() : current.active();
			boolean isAdmin = (command.admin() != null) ? command.admin() : current.admin();
			Mono<String> hash = (command.password() != null) ? this.secrets.hashPassword(command.password())
					: Mono.just(current.passwordHash());
			// @formatter:off
			return this.administrators.checkChange(actor, current, new User(current.id(), username, current.passwordHash(), active, isAdmin))
					.then(hash)
					.map((passwordHash) -> new User(current.id(), username, passwordHash, active, isAdmin))
					// only over the user as guarded: a reset that hashed while another administrator deactivated or
					// deleted the user must not bring them back
					.flatMap((changed) -> this.users.replace(current, changed))
					.switchIfEmpty(Mono.error(() -> changedMeanwhile(current)))
					// a deactivated user, or one whose password was reset, keeps no session
					.flatMap((user) -> ((!user.active() && current.active()) || command.password() != null)
							? this.grants.revokeUserGrants(user.id()).thenReturn(user) : Mono.just(user))
					.flatMap((user) -> this.auditTrail.record(actor, "user.updated", user.id(),
							ChangeDescriptions.ofUser(current, user, command.password() != null))
							.then(actingClients(user, current))
							.map((acting) -> new UpdatedUser(user, acting)));
			// @formatter:on
		});
	}

	/** Deletes the user and revokes every token issued for them; emits the user as they were. */
	public Mono<User> delete(String id, String actor) {
		// @formatter:off
		return find(id)
				// the user first, then the tokens, as for a client (see ClientAdministration#delete)
				.flatMap((user) -> this.administrators.checkChange(actor, user, null).thenReturn(user))
				.flatMap((user) -> this.users.delete(user)
						.flatMap((deleted) -> deleted ? Mono.just(user) : Mono.error(changedMeanwhile(user)))
						.then(this.grants.revokeUserGrants(id))
						.then(this.auditTrail.record(actor, "user.deleted", id, "Deleted user '" + user.username() + "'"))
						.thenReturn(user));
		// @formatter:on
	}

	/**
	 * Creates or replaces the user {@code id} as configuration describes them (bootstrap), under the same username
	 * policy as the API and the pages ({@link InvalidFieldsException} otherwise); a password that still matches is not
	 * rehashed, unless its hash needs an upgrade ({@link Secrets#rehashPasswordIfChanged}). Not audited: the configuration's own history records it. Emits whether the user is new.
	 */
	public Mono<Boolean> configure(String id, String configuredUsername, String password, boolean active,
			boolean admin) {
		Map<String, String> problems = new LinkedHashMap<>();
		String username = UsernamePolicy.username(configuredUsername, problems);
		if (!problems.isEmpty()) {
			return Mono.error(new InvalidFieldsException(problems));
		}
		// @formatter:off
		return this.users.findById(id).map((user) -> Optional.of(user.passwordHash())).defaultIfEmpty(Optional.empty())
				.flatMap((stored) -> this.secrets.rehashPasswordIfChanged(password, stored.orElse(null))
						.map((hash) -> new User(id, username, hash, active, admin))
						.flatMap(this.users::save)
						.thenReturn(stored.isEmpty()));
		// @formatter:on
	}

	/**
	 * Creates an active administrator on a new installation, which has none to create one (bootstrap). Fails with
	 * {@code UsernameTakenException} when the username is taken.
	 */
	public Mono<User> createFirstAdministrator(String username, String password) {
		// @formatter:off
		return this.secrets.hashPassword(password)
				.map((hash) -> new User(SecureIds.randomUuid().toString(), username, hash, true, true))
				.flatMap(this.users::save);
		// @formatter:on
	}

	/**
	 * Users stored before usernames were compared under RFC 8265 (issue 13) are indexed under their name lowercased
	 * only; those whose name the profile maps further (fullwidth letters, decomposed accents) are saved again, which
	 * indexes them under {@link User#normalize} and frees the old key, so that a look-alike cannot be registered
	 * beside them and every spelling signs them in. Emits the users that could not be: their name now maps to
	 * another user's, and an administrator must rename one.
	 */
	public Flux<User> reindexUsernames() {
		// @formatter:off
		return this.users.findAll()
				.filter((user) -> !User.normalize(user.username()).equals(user.username().toLowerCase(Locale.ROOT)))
				.concatMap((user) -> this.users.save(user)
						.then(Mono.<User>empty())
						.onErrorResume(UsernameTakenException.class, (ex) -> Mono.just(user)));
		// @formatter:on
	}

	/** The client_credentials clients whose tokens act as this user (its associated user), by name. */
	public Flux<RegisteredClient> clientsActingAs(String userId) {
		// @formatter:off
		return this.clients.findAll()
				.filter((client) -> userId.equals(client.associatedUserId()))
				.sort(Comparator.comparing(RegisteredClient::name).thenComparing(RegisteredClient::id));
		// @formatter:on
	}

	/**
	 * Whether any active user is an administrator: an installation whose administrators are all deactivated (two
	 * deactivating each other at the same moment can still get there) has nobody who can sign in to the pages, and
	 * bootstrap then creates a first administrator again.
	 */
	public Mono<Boolean> anyActiveAdministrator() {
		return this.users.findAll().any((user) -> user.admin() && user.active());
	}

	public Mono<Boolean> isUsernameTaken(String username) {
		return this.users.findByUsername(username).hasElement();
	}

	private static AdministrationRefusedException changedMeanwhile(User user) {
		return new AdministrationRefusedException(
				"'" + user.username() + "' was changed by someone else meanwhile: nothing was saved. Reload and try again.");
	}

	private Mono<List<String>> actingClients(User user, User before) {
		if (user.active() || !before.active()) {
			return Mono.just(List.of());
		}
		return clientsActingAs(user.id()).map(RegisteredClient::name).collectList();
	}

	private static void checkPassword(@Nullable String password, Map<String, String> problems) {
		if (password != null && (password.length() < 8 || password.length() > 512)) {
			problems.put("password", "must be 8 to 512 characters (or leave it out to have one generated)");
		}
	}

}
