package dev.portcullis.web.admin;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.portcullis.admin.ChangeDescriptions;
import dev.portcullis.admin.ClientPolicy;
import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.UserLookup;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.SecureIds;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/clients}: the OAuth2 clients SuiteCRM's admin panel offers (client credentials with an associated
 * user, password, authorization code with redirect URIs). A secret is shown once, when it is set, and only its hash
 * is kept. Deleting a client revokes its tokens. Every change goes to the audit log.
 */
@RestController
@RequestMapping("/admin/api/clients")
public class ClientAdminController {

	/** RFC 6749 §3.3 scope-token characters. */
	private final ClientStore clients;

	private final UserLookup users;

	private final GrantAdministration grants;

	private final AdminAuditTrail auditTrail;

	private final PasswordHasher hasher;

	private final HashingPool hashing;

	private final ClientPolicy policy;

	public ClientAdminController(ClientStore clients, UserLookup users, GrantAdministration grants,
			AdminAuditTrail auditTrail, PasswordHasher hasher, HashingPool hashing, ClientPolicy policy) {
		this.clients = clients;
		this.users = users;
		this.grants = grants;
		this.auditTrail = auditTrail;
		this.hasher = hasher;
		this.hashing = hashing;
		this.policy = policy;
	}

	/** What an administrator sends to create or change a client; every field optional on PATCH. */
	public record ClientRequest(@Nullable String name, @Nullable List<String> grantTypes, @Nullable String secret,
			@Nullable Boolean confidential, @Nullable String associatedUser, @Nullable List<String> redirectUris,
			@Nullable List<String> scopes, @Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl,
			@Nullable Boolean refreshTokens) {
	}

	@PostMapping
	public Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody ClientRequest request, Authentication admin) {
		return Mono.defer(() -> {
			Map<String, String> problems = new LinkedHashMap<>();
			String name = this.policy.name(request.name(), problems);
			Set<GrantType> grantTypes = this.policy.grantTypes(request.grantTypes(), problems);
			// confidential unless said otherwise, as SuiteCRM's form defaults
			boolean confidential = (request.confidential() == null) || request.confidential();
			List<String> redirectUris = this.policy.redirectUris(request.redirectUris(), problems);
			Set<String> scopes = this.policy.scopes(request.scopes(), problems);
			this.policy.tokenTtl("accessTokenTtl", request.accessTokenTtl(), problems);
			this.policy.tokenTtl("refreshTokenTtl", request.refreshTokenTtl(), problems);
			this.policy.secret(request.secret(), problems);
			boolean refreshTokens = this.policy.refreshTokens(grantTypes, request.refreshTokens(), true, problems);
			this.policy.combination(grantTypes, confidential, redirectUris, problems);
			this.policy.fieldsForTheGrants(grantTypes, redirectUris, request.associatedUser(), problems);
			if (!problems.isEmpty()) {
				throw AdminApiException.invalid(problems);
			}
			String secret = confidential ? ((request.secret() != null) ? request.secret() : newSecret()) : null;
			// @formatter:off
			return associatedUserId(request.associatedUser())
					.flatMap((userId) -> hash(secret).map((hash) -> new RegisteredClient(UUID.randomUUID().toString(), name,
							hash.isEmpty() ? null : hash, confidential, grantTypes, userId.isEmpty() ? null : userId,
							redirectUris, scopes, ClientPolicy.storedTtl(request.accessTokenTtl(), null),
							ClientPolicy.storedTtl(request.refreshTokenTtl(), null), refreshTokens)))
					.flatMap(this.clients::save)
					.flatMap((client) -> this.auditTrail.record(admin, "client.created", client.id(), "Created client '" + client.name() + "' " + client.grantTypes())
							.thenReturn(ResponseEntity.created(URI.create("/admin/api/clients/" + client.id()))
									.body(view(client, secret))));
			// @formatter:on
		});
	}

	@GetMapping
	public Mono<Page<Map<String, Object>>> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size, @RequestParam(required = false) @Nullable String search) {
		// @formatter:off
		return this.clients.findAll()
				.filter((client) -> search == null || search.isBlank()
						|| client.name().toLowerCase().contains(search.toLowerCase()) || client.id().contains(search))
				.sort(Comparator.comparing(RegisteredClient::name, String.CASE_INSENSITIVE_ORDER).thenComparing(RegisteredClient::id))
				.map((client) -> view(client, null))
				.collectList()
				.map((all) -> Page.of(all, page, size));
		// @formatter:on
	}

	@GetMapping("/{id}")
	public Mono<Map<String, Object>> get(@PathVariable String id) {
		return find(id).map((client) -> view(client, null));
	}

	@PatchMapping("/{id}")
	public Mono<Map<String, Object>> update(@PathVariable String id, @RequestBody ClientRequest request,
			Authentication admin) {
		return find(id).flatMap((current) -> {
			Map<String, String> problems = new LinkedHashMap<>();
			if (request.secret() != null) {
				problems.put("secret", "change it with POST /admin/api/clients/{id}/secret");
			}
			String name = (request.name() != null) ? this.policy.name(request.name(), problems) : current.name();
			Set<GrantType> grantTypes = (request.grantTypes() != null)
					? this.policy.grantTypes(request.grantTypes(), problems) : current.grantTypes();
			boolean confidential = (request.confidential() != null) ? request.confidential() : current.confidential();
			List<String> redirectUris = (request.redirectUris() != null)
					? this.policy.redirectUris(request.redirectUris(), problems) : current.redirectUris();
			Set<String> scopes = (request.scopes() != null) ? this.policy.scopes(request.scopes(), problems)
					: current.scopes();
			this.policy.tokenTtl("accessTokenTtl", request.accessTokenTtl(), problems);
			this.policy.tokenTtl("refreshTokenTtl", request.refreshTokenTtl(), problems);
			boolean refreshTokens = this.policy.refreshTokens(grantTypes, request.refreshTokens(),
					current.refreshTokens(), problems);
			this.policy.combination(grantTypes, confidential, redirectUris, problems);
			if (confidential && current.secretHash() == null) {
				problems.put("confidential", "set a secret first with POST /admin/api/clients/{id}/secret");
			}
			if (!problems.isEmpty()) {
				throw AdminApiException.invalid(problems);
			}
			Mono<String> userId = (request.associatedUser() != null) ? associatedUserId(request.associatedUser())
					: Mono.just((current.associatedUserId() != null) ? current.associatedUserId() : "");
			// @formatter:off
			return userId.map((user) -> new RegisteredClient(current.id(), name, confidential ? current.secretHash() : null,
							confidential, grantTypes, user.isEmpty() ? null : user, redirectUris, scopes,
							ClientPolicy.storedTtl(request.accessTokenTtl(), current.accessTokenTtl()),
							ClientPolicy.storedTtl(request.refreshTokenTtl(), current.refreshTokenTtl()), refreshTokens))
					.flatMap(this.clients::save)
					.flatMap((client) -> this.grants.revokeGrantsBeyond(current, client)
							.flatMap((revoked) -> this.auditTrail.record(admin, "client.updated", client.id(), ChangeDescriptions.ofClient(current, client)
									+ ((revoked > 0) ? "; revoked " + revoked + " grants it no longer covers" : "")))
							.thenReturn(view(client, null)));
			// @formatter:on
		});
	}

	/**
	 * Sets a new secret (the one sent, or a generated one) and shows it this once. A public client gets one only when
	 * the request says {@code "confidential": true}: a secret makes it confidential, and its app, which sent none,
	 * would then fail at its next code exchange.
	 */
	@PostMapping("/{id}/secret")
	public Mono<Map<String, Object>> rotateSecret(@PathVariable String id,
			@RequestBody(required = false) @Nullable Map<String, Object> body, Authentication admin) {
		Object typed = (body != null) ? body.get("secret") : null;
		String requested = (typed != null) ? String.valueOf(typed) : null;
		boolean makeConfidential = (body != null) && Boolean.parseBoolean(String.valueOf(body.get("confidential")));
		Map<String, String> problems = new LinkedHashMap<>();
		this.policy.secret(requested, problems);
		if (!problems.isEmpty()) {
			return Mono.error(AdminApiException.invalid(problems));
		}
		String secret = (requested != null) ? requested : newSecret();
		// @formatter:off
		return find(id)
				.flatMap((client) -> (client.confidential() || makeConfidential) ? Mono.just(client)
						: Mono.error(AdminApiException.conflict("confidential", "'" + client.name() + "' is a public client: "
								+ "a secret makes it confidential, and its app must then send the secret. Send "
								+ "\"confidential\": true to do so.")))
				.flatMap((client) -> hash(secret)
						.map((hash) -> new RegisteredClient(client.id(), client.name(), hash, true, client.grantTypes(),
								client.associatedUserId(), client.redirectUris(), client.scopes(), client.accessTokenTtl(),
								client.refreshTokenTtl(), client.refreshTokens()))
						.flatMap(this.clients::save)
						.flatMap((updated) -> this.auditTrail.record(admin, "client.secret-rotated", updated.id(),
										client.confidential() ? "Rotated the secret of client '" + updated.name() + "'"
												: "Gave a secret to public client '" + updated.name() + "', which made it confidential")
								.thenReturn(view(updated, secret))));
		// @formatter:on
	}

	/** Deletes the client and revokes every token issued to it. */
	@DeleteMapping("/{id}")
	public Mono<ResponseEntity<Void>> delete(@PathVariable String id, Authentication admin) {
		// @formatter:off
		// the client first, then its grants: a token request in flight either sees the client gone once its grant is
		// stored (TokenIssuer), or stored its grant before the sweep reads them
		return find(id)
				.flatMap((client) -> this.clients.deleteById(id)
						.then(this.grants.revokeAllGrants(id))
						.flatMap((revoked) -> this.auditTrail.record(admin, "client.deleted", id, "Deleted client '" + client.name() + "' and revoked " + revoked + " grants")))
				.thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
		// @formatter:on
	}

	private Mono<RegisteredClient> find(String id) {
		return this.clients.findById(id).switchIfEmpty(Mono.error(() -> AdminApiException.notFound("client", id)));
	}

	/** The associated user's id ("" for none), from a username or an id. */
	private Mono<String> associatedUserId(@Nullable String reference) {
		if (reference == null || reference.isBlank()) {
			return Mono.just("");
		}
		// @formatter:off
		return this.users.find(reference)
				.map(User::id)
				.switchIfEmpty(Mono.error(() -> AdminApiException.invalid("associatedUser", "no user with this username or id")));
		// @formatter:on
	}

	/** The slow hash, off the event loop; "" for no secret. */
	private Mono<String> hash(@Nullable String secret) {
		return (secret == null) ? Mono.just("")
				: this.hashing.run(PasswordHasher.SCHEME, () -> this.hasher.hash(secret));
	}


	static Map<String, Object> view(RegisteredClient client, @Nullable String secret) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", client.id());
		view.put("name", client.name());
		if (secret != null) {
			view.put("secret", secret);
		}
		view.put("confidential", client.confidential());
		view.put("grantTypes", client.grantTypes().stream().map(GrantType::value).sorted().toList());
		view.put("associatedUser", client.associatedUserId());
		view.put("redirectUris", client.redirectUris());
		view.put("scopes", client.scopes().stream().sorted().toList());
		view.put("accessTokenTtl", (client.accessTokenTtl() != null) ? client.accessTokenTtl().toString() : null);
		view.put("refreshTokenTtl", (client.refreshTokenTtl() != null) ? client.refreshTokenTtl().toString() : null);
		view.put("refreshTokens", client.refreshTokens());
		return view;
	}

	private static String newSecret() {
		// 256 bits, as hex: long enough that guessing is hopeless, easy to paste into any client
		return SecureIds.randomHex(32);
	}

}
