package dev.portcullis.admin;

import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.ClientTokenSettings;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.SecureIds;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Registering and changing OAuth2 clients, for the JSON API, the pages and bootstrap alike: the client policy, a
 * generated secret when none is typed, the grants a narrowed client no longer covers, and the audit entry. A secret is
 * returned once, when it is set; only its hash is kept.
 */
public final class ClientAdministration {

	private final ClientStore clients;

	private final UserLookup users;

	private final GrantAdministration grants;

	private final AuditTrail auditTrail;

	private final Secrets secrets;

	private final ClientPolicy policy;

	public ClientAdministration(ClientStore clients, UserLookup users, GrantAdministration grants,
			AuditTrail auditTrail, Secrets secrets, ClientPolicy policy) {
		this.clients = clients;
		this.users = users;
		this.grants = grants;
		this.auditTrail = auditTrail;
		this.secrets = secrets;
		this.policy = policy;
	}

	/**
	 * What is asked of a client. On an update {@code null} keeps a field as it is; a zero lifetime means the gateway's
	 * default; {@code associatedUser} is a username or a user id ({@code ""} for none); {@code introspection} lets the
	 * client ask the introspection endpoint about tokens; {@code backendCredential} names the backend credential its
	 * tokens act with ({@code ""} for the route's default); {@code signingAlgorithm} (RS256 or EdDSA) signs its tokens.
	 */
	public record ClientCommand(@Nullable String name, @Nullable List<String> grantTypes, @Nullable String secret,
			@Nullable Boolean confidential, @Nullable String associatedUser, @Nullable List<String> redirectUris,
			@Nullable List<String> scopes, @Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl,
			@Nullable Boolean refreshTokens, @Nullable Boolean introspection, @Nullable String backendCredential,
			@Nullable String signingAlgorithm) {

		/**
		 * A command that leaves the backend credential and the signing algorithm as they are (the route's default and
		 * RS256 for a new client).
		 */
		public ClientCommand(@Nullable String name, @Nullable List<String> grantTypes, @Nullable String secret,
				@Nullable Boolean confidential, @Nullable String associatedUser, @Nullable List<String> redirectUris,
				@Nullable List<String> scopes, @Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl,
				@Nullable Boolean refreshTokens, @Nullable Boolean introspection) {
			this(name, grantTypes, secret, confidential, associatedUser, redirectUris, scopes, accessTokenTtl,
					refreshTokenTtl, refreshTokens, introspection, null, null);
		}

		/**
		 * A command that leaves refresh tokens, introspection, the backend credential and the signing algorithm as they
		 * are (on, off, the route's default and RS256 for a new client).
		 */
		public ClientCommand(@Nullable String name, @Nullable List<String> grantTypes, @Nullable String secret,
				@Nullable Boolean confidential, @Nullable String associatedUser, @Nullable List<String> redirectUris,
				@Nullable List<String> scopes, @Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl) {
			this(name, grantTypes, secret, confidential, associatedUser, redirectUris, scopes, accessTokenTtl,
					refreshTokenTtl, null, null, null, null);
		}

	}

	/** A client as saved, with the secret this change set (to show once), if it set one. */
	public record ClientWithSecret(RegisteredClient client, @Nullable String secret) {
	}

	/** A client as configuration left it: new or not, and how many of its grants the change ended. */
	public record ConfiguredClient(RegisteredClient client, boolean created, long revoked) {
	}

	/** The columns the client list sorts by: name (case-insensitive), id, and type (confidential first). */
	public static final Map<String, Comparator<RegisteredClient>> SORT_COLUMNS = columns(
			Comparator.comparing(RegisteredClient::name, String.CASE_INSENSITIVE_ORDER), Comparator.comparing(RegisteredClient::id),
			Comparator.comparing((RegisteredClient client) -> !client.confidential()));

	/** The clients whose name or id contains {@code search} (all for none), by name. */
	public Flux<RegisteredClient> search(@Nullable String search) {
		return search(search, Listing.Order.ascending("name"));
	}

	/**
	 * The clients whose name or id contains {@code search} (all for none), in {@code order} (one of
	 * {@link #SORT_COLUMNS}), then by name and id; {@link InvalidFieldsException} on {@code sort} for another column.
	 */
	public Flux<RegisteredClient> search(@Nullable String search, Listing.Order order) {
		return Flux.defer(() -> {
			Comparator<RegisteredClient> byName = SORT_COLUMNS.get("name").thenComparing(RegisteredClient::id);
			Comparator<RegisteredClient> sorted = Listing.comparator(SORT_COLUMNS, order, byName);
			// @formatter:off
			return this.clients.findAll()
					.filter((client) -> search == null || search.isBlank() || client.id().contains(search)
							|| client.name().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
					.sort(sorted);
			// @formatter:on
		});
	}

	private static Map<String, Comparator<RegisteredClient>> columns(Comparator<RegisteredClient> name,
			Comparator<RegisteredClient> id, Comparator<RegisteredClient> type) {
		Map<String, Comparator<RegisteredClient>> columns = new LinkedHashMap<>();
		columns.put("name", name);
		columns.put("id", id);
		columns.put("type", type);
		return Collections.unmodifiableMap(columns);
	}

	/** The client; {@link NoSuchObjectException} when there is none. */
	public Mono<RegisteredClient> find(String id) {
		return this.clients.findById(id).switchIfEmpty(Mono.error(() -> new NoSuchObjectException("client", id)));
	}

	/** Registers a client; a confidential one without a typed secret gets a generated one. */
	public Mono<ClientWithSecret> create(ClientCommand command, String actor) {
		return Mono.defer(() -> {
			Map<String, String> problems = new LinkedHashMap<>();
			// confidential unless said otherwise, as SuiteCRM's form defaults
			Settings settings = checkNew(command, command.confidential() == null || command.confidential(), problems);
			this.policy.fieldsForTheGrants(settings.grantTypes(), settings.redirectUris(), command.associatedUser(),
					problems);
			InvalidFieldsException.check(problems);
			String secret = settings.confidential() ? ((command.secret() != null) ? command.secret() : Secrets.newSecret())
					: null;
			// @formatter:off
			return associatedUserId(command.associatedUser())
					.zipWith(this.secrets.hash(secret), (userId, hash) -> settings.toClient(SecureIds.randomUuid().toString(), hash, userId))
					.flatMap(this.clients::save)
					.flatMap((client) -> this.auditTrail.record(actor, "client.created", client.id(), "Created client '" + client.name() + "' " + client.grantTypes()
									+ (client.tokenSettings().introspection() ? ", allowed to introspect tokens" : "")
									+ ((client.tokenSettings().backendCredential() != null) ? ", acting with backend credential '" + client.tokenSettings().backendCredential() + "'" : ""))
							.thenReturn(new ClientWithSecret(client, secret)));
			// @formatter:on
		});
	}

	/** Changes the fields given; grants the changed client no longer covers end (see {@link GrantAdministration}). */
	public Mono<RegisteredClient> update(String id, ClientCommand command, String actor) {
		return find(id).flatMap((current) -> {
			Map<String, String> problems = new LinkedHashMap<>();
			if (command.secret() != null) {
				problems.put("secret", "is not changed by an update: rotate the secret instead");
			}
			String name = (command.name() != null) ? this.policy.name(command.name(), problems) : current.name();
			Set<GrantType> grantTypes = (command.grantTypes() != null)
					? this.policy.grantTypes(command.grantTypes(), problems) : current.grantTypes();
			boolean confidential = (command.confidential() != null) ? command.confidential() : current.confidential();
			List<String> redirectUris = (command.redirectUris() != null)
					? this.policy.redirectUris(command.redirectUris(), problems) : current.redirectUris();
			Set<String> scopes = (command.scopes() != null) ? this.policy.scopes(command.scopes(), problems)
					: current.scopes();
			this.policy.tokenTtl("accessTokenTtl", command.accessTokenTtl(), problems);
			this.policy.tokenTtl("refreshTokenTtl", command.refreshTokenTtl(), problems);
			ClientTokenSettings currentTokens = current.tokenSettings();
			boolean refreshTokens = this.policy.refreshTokens(grantTypes, command.refreshTokens(),
					currentTokens.refreshTokens(), problems);
			boolean introspection = this.policy.introspection(confidential, command.introspection(),
					currentTokens.introspection(), problems);
			String backendCredential = this.policy.backendCredential(command.backendCredential(),
					currentTokens.backendCredential(), problems);
			SigningAlgorithm signingAlgorithm = this.policy.signingAlgorithm(command.signingAlgorithm(),
					currentTokens.signingAlgorithm(), problems);
			this.policy.combination(grantTypes, confidential, redirectUris, problems);
			if (confidential && current.secretHash() == null) {
				problems.put("confidential", "this client has no secret: rotate the secret first");
			}
			InvalidFieldsException.check(problems);
			Settings settings = new Settings(name, grantTypes, confidential, redirectUris, scopes,
					new ClientTokenSettings(ClientPolicy.storedTtl(command.accessTokenTtl(), currentTokens.accessTokenTtl()),
							ClientPolicy.storedTtl(command.refreshTokenTtl(), currentTokens.refreshTokenTtl()), refreshTokens,
							introspection, backendCredential, signingAlgorithm));
			Mono<String> userId = (command.associatedUser() != null) ? associatedUserId(command.associatedUser())
					: Mono.just((current.associatedUserId() != null) ? current.associatedUserId() : "");
			// @formatter:off
			return userId.map((user) -> settings.toClient(current.id(), current.secretHash(), user))
					.flatMap((changed) -> this.clients.save(changed))
					.flatMap((client) -> this.grants.revokeGrantsBeyond(current, client)
							.flatMap((revoked) -> this.auditTrail.record(actor, "client.updated", client.id(), ChangeDescriptions.ofClient(current, client)
									+ ((revoked > 0) ? "; revoked " + revoked + " grants it no longer covers" : "")))
							.thenReturn(client));
			// @formatter:on
		});
	}

	/**
	 * Sets a new secret (the one given, or a generated one) and returns it this once. A public client gets one only
	 * when {@code makeConfidential} says so: a secret makes it confidential, and its app, which sent none, would then
	 * fail at its next code exchange.
	 */
	public Mono<ClientWithSecret> rotateSecret(String id, @Nullable String requested, boolean makeConfidential,
			String actor) {
		return Mono.defer(() -> {
			Map<String, String> problems = new LinkedHashMap<>();
			this.policy.secret(requested, problems);
			InvalidFieldsException.check(problems);
			String secret = (requested != null) ? requested : Secrets.newSecret();
			// @formatter:off
			return find(id)
					.flatMap((client) -> (client.confidential() || makeConfidential) ? Mono.just(client)
							: Mono.error(new AdministrationRefusedException("confidential", "'" + client.name() + "' is a public client: "
									+ "a secret makes it confidential, and its app must then send the secret. Send "
									+ "\"confidential\": true to do so.")))
					.flatMap((client) -> this.secrets.hash(secret)
							.map((hash) -> Settings.of(client, true).toClient(client.id(), hash, client.associatedUserId()))
							.flatMap(this.clients::save)
							.flatMap((updated) -> this.auditTrail.record(actor, "client.secret-rotated", updated.id(),
											client.confidential() ? "Rotated the secret of client '" + updated.name() + "'"
													: "Gave a secret to public client '" + updated.name() + "', which made it confidential")
									.thenReturn(new ClientWithSecret(updated, secret))));
			// @formatter:on
		});
	}

	/** Deletes the client and revokes every token issued to it; emits the client as it was. */
	public Mono<RegisteredClient> delete(String id, String actor) {
		// @formatter:off
		// the client first, then its grants: a token request in flight either sees the client gone once its grant is
		// stored (TokenIssuer), or stored its grant before the sweep reads them
		return find(id)
				.flatMap((client) -> this.clients.deleteById(id)
						.then(this.grants.revokeAllGrants(id))
						.flatMap((revoked) -> this.auditTrail.record(actor, "client.deleted", id, "Deleted client '" + client.name() + "' and revoked " + revoked + " grants"))
						.thenReturn(client));
		// @formatter:on
	}

	/**
	 * Creates or replaces the client {@code id} as configuration describes it (bootstrap): the same policy, but a
	 * confidential client must come with its secret (nobody would see a generated one), and fields for other grants
	 * are kept, as configuration written before that rule may carry them. A secret that still matches is not
	 * rehashed. Not audited: the configuration's own history records it.
	 */
	public Mono<ConfiguredClient> configure(String id, ClientCommand command) {
		return Mono.defer(() -> {
			Map<String, String> problems = new LinkedHashMap<>();
			boolean confidential = Boolean.TRUE.equals(command.confidential());
			Settings settings = checkNew(command, confidential, problems);
			String secret = command.secret();
			if (confidential && secret == null) {
				problems.put("secret", "a confidential client needs a secret");
			}
			InvalidFieldsException.check(problems);
			// @formatter:off
			return this.clients.findById(id).map(Optional::of).defaultIfEmpty(Optional.empty())
					.flatMap((existing) -> associatedUserId(command.associatedUser())
							.zipWith((secret == null) ? Mono.just("")
									: this.secrets.rehashIfChanged(secret, existing.map(RegisteredClient::secretHash).orElse(null)),
									(userId, hash) -> settings.toClient(id, hash, userId))
							.flatMap(this.clients::save)
							// a client narrowed in configuration keeps no grant beyond its new settings
							.flatMap((client) -> existing.map((before) -> this.grants.revokeGrantsBeyond(before, client)).orElse(Mono.just(0L))
									.map((revoked) -> new ConfiguredClient(client, existing.isEmpty(), revoked))));
			// @formatter:on
		});
	}

	/**
	 * The client {@code id} as an import describes it (the SuiteCRM import): checked by the same policy as a new
	 * client ({@link #create}), with the secret hash the import found in place of a typed secret and
	 * {@code associatedUser} an id the import resolved, and with what the import does not describe (scopes, token
	 * lifetimes, refresh tokens, introspection, backend credential, signing algorithm) kept from {@code current}, the
	 * client as stored, if any. Not stored: the import compares and writes itself. Fails with
	 * {@link InvalidFieldsException}.
	 */
	public RegisteredClient imported(String id, ClientCommand command, @Nullable String secretHash,
			@Nullable RegisteredClient current) {
		ClientCommand described = (current == null) ? command
				: new ClientCommand(command.name(), command.grantTypes(), null, command.confidential(),
						command.associatedUser(), command.redirectUris(), List.copyOf(current.scopes()),
						current.tokenSettings().accessTokenTtl(), current.tokenSettings().refreshTokenTtl(),
						current.tokenSettings().refreshTokens(), current.tokenSettings().introspection(), null,
						current.tokenSettings().signingAlgorithm().name());
		Map<String, String> problems = new LinkedHashMap<>();
		Settings settings = checkNew(described, Boolean.TRUE.equals(described.confidential()), problems);
		this.policy.fieldsForTheGrants(settings.grantTypes(), settings.redirectUris(), described.associatedUser(),
				problems);
		InvalidFieldsException.check(problems);
		RegisteredClient client = settings.toClient(id, secretHash, described.associatedUser());
		// kept as it is, checked or not: one removed from the configuration since is no reason to refuse the import
		return (current == null) ? client
				: new RegisteredClient(client.id(), client.name(), client.secretHash(), client.confidential(),
						client.grantTypes(), client.associatedUserId(), client.redirectUris(), client.scopes(),
						client.tokenSettings().withBackendCredential(current.tokenSettings().backendCredential()));
	}

	/** The backend credentials a client may act with, in name order: none when the gateway has none. */
	public List<String> backendCredentials() {
		return this.policy.backendCredentials();
	}

	/** Whether a typed secret is valid but short enough to deserve a warning. */
	public boolean isWeak(@Nullable String secret) {
		return this.policy.isWeak(secret);
	}

	private Settings checkNew(ClientCommand command, boolean confidential, Map<String, String> problems) {
		String name = this.policy.name(command.name(), problems);
		Set<GrantType> grantTypes = this.policy.grantTypes(command.grantTypes(), problems);
		List<String> redirectUris = this.policy.redirectUris(command.redirectUris(), problems);
		Set<String> scopes = this.policy.scopes(command.scopes(), problems);
		this.policy.tokenTtl("accessTokenTtl", command.accessTokenTtl(), problems);
		this.policy.tokenTtl("refreshTokenTtl", command.refreshTokenTtl(), problems);
		this.policy.secret(command.secret(), problems);
		boolean refreshTokens = this.policy.refreshTokens(grantTypes, command.refreshTokens(), true, problems);
		boolean introspection = this.policy.introspection(confidential, command.introspection(), false, problems);
		String backendCredential = this.policy.backendCredential(command.backendCredential(), null, problems);
		SigningAlgorithm signingAlgorithm = this.policy.signingAlgorithm(command.signingAlgorithm(),
				SigningAlgorithm.RS256, problems);
		this.policy.combination(grantTypes, confidential, redirectUris, problems);
		return new Settings(name, grantTypes, confidential, redirectUris, scopes,
				new ClientTokenSettings(ClientPolicy.storedTtl(command.accessTokenTtl(), null),
						ClientPolicy.storedTtl(command.refreshTokenTtl(), null), refreshTokens, introspection,
						backendCredential, signingAlgorithm));
	}

	/** The associated user's id ("" for none), from a username or an id. */
	private Mono<String> associatedUserId(@Nullable String reference) {
		if (reference == null || reference.isBlank()) {
			return Mono.just("");
		}
		// @formatter:off
		return this.users.find(reference.strip())
				.map(User::id)
				.switchIfEmpty(Mono.error(() -> new InvalidFieldsException("associatedUser", "no user with this username or id")));
		// @formatter:on
	}

	/** A client's settings that passed the policy, before its id, secret and user are known. */
	private record Settings(String name, Set<GrantType> grantTypes, boolean confidential, List<String> redirectUris,
			Set<String> scopes, ClientTokenSettings tokenSettings) {

		static Settings of(RegisteredClient client, boolean confidential) {
			return new Settings(client.name(), client.grantTypes(), confidential, client.redirectUris(), client.scopes(),
					client.tokenSettings());
		}

		/** The one place a client is put together: a public client keeps no secret hash; "" means none. */
		RegisteredClient toClient(String id, @Nullable String secretHash, @Nullable String associatedUserId) {
			String hash = (this.confidential && secretHash != null && !secretHash.isEmpty()) ? secretHash : null;
			return new RegisteredClient(id, this.name, hash, this.confidential, this.grantTypes,
					(associatedUserId == null || associatedUserId.isEmpty()) ? null : associatedUserId, this.redirectUris, this.scopes,
					this.tokenSettings);
		}

	}

}
