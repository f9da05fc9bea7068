package dev.portcullis.web.admin;

import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.portcullis.admin.AdministratorsGuard;
import dev.portcullis.admin.ChangeDescriptions;
import dev.portcullis.admin.UsernamePolicy;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
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
 * {@code /admin/api/users}: create, reset the password, deactivate (which revokes the user's tokens), delete (the
 * same), and mark as administrator. A generated password is shown once; only its hash is kept.
 */
@RestController
@RequestMapping("/admin/api/users")
public class UserAdminController {

	private final UserStore users;

	private final AuthorizationStore authorizations;

	private final AdminAuditTrail auditTrail;

	private final PasswordHasher hasher;

	private final HashingPool hashing;

	private final AdministratorsGuard administrators;

	private final ClientStore clients;

	public UserAdminController(UserStore users, AuthorizationStore authorizations, AdminAuditTrail auditTrail,
			PasswordHasher hasher, HashingPool hashing, AdministratorsGuard administrators, ClientStore clients) {
		this.users = users;
		this.authorizations = authorizations;
		this.auditTrail = auditTrail;
		this.hasher = hasher;
		this.hashing = hashing;
		this.administrators = administrators;
		this.clients = clients;
	}

	/** What an administrator sends; every field optional on PATCH. */
	public record UserRequest(@Nullable String username, @Nullable String password, @Nullable Boolean active,
			@Nullable Boolean admin) {
	}

	@PostMapping
	public Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody UserRequest request, Authentication admin) {
		return Mono.defer(() -> {
			Map<String, String> problems = new LinkedHashMap<>();
			String username = UsernamePolicy.username(request.username(), problems);
			checkPassword(request.password(), problems);
			if (!problems.isEmpty()) {
				throw AdminApiException.invalid(problems);
			}
			String password = (request.password() != null) ? request.password() : SecureIds.randomHex(12);
			// @formatter:off
			return hash(password)
					.map((hash) -> new User(UUID.randomUUID().toString(), username, hash,
							request.active() == null || request.active(), Boolean.TRUE.equals(request.admin())))
					.flatMap(this.users::save)
					.flatMap((user) -> this.auditTrail.record(admin, "user.created", user.id(), "Created user '" + user.username() + "'"
							+ (user.admin() ? " (administrator)" : ""))
							.thenReturn(ResponseEntity.created(URI.create("/admin/api/users/" + user.id()))
									.body(view(user, (request.password() == null) ? password : null))));
			// @formatter:on
		});
	}

	@GetMapping
	public Mono<Page<Map<String, Object>>> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size, @RequestParam(required = false) @Nullable String search) {
		// @formatter:off
		return this.users.findAll()
				.filter((user) -> search == null || search.isBlank() || User.normalize(user.username()).contains(User.normalize(search)))
				.sort(Comparator.comparing((User user) -> User.normalize(user.username())))
				.map((user) -> view(user, null))
				.collectList()
				.map((all) -> Page.of(all, page, size));
		// @formatter:on
	}

	@GetMapping("/{id}")
	public Mono<Map<String, Object>> get(@PathVariable String id) {
		return find(id).map((user) -> view(user, null));
	}

	@PatchMapping("/{id}")
	public Mono<Map<String, Object>> update(@PathVariable String id, @RequestBody UserRequest request,
			Authentication admin) {
		return find(id).flatMap((current) -> {
			Map<String, String> problems = new LinkedHashMap<>();
			String username = (request.username() != null) ? UsernamePolicy.username(request.username(), problems) : current.username();
			checkPassword(request.password(), problems);
			if (!problems.isEmpty()) {
				throw AdminApiException.invalid(problems);
			}
			boolean active = (request.active() != null) ? request.active() : current.active();
			boolean isAdmin = (request.admin() != null) ? request.admin() : current.admin();
			Mono<String> hash = (request.password() != null) ? hash(request.password()) : Mono.just(current.passwordHash());
			// @formatter:off
			return this.administrators.checkChange(admin.getName(), current,
							new User(current.id(), username, current.passwordHash(), active, isAdmin))
					.then(hash)
					.map((passwordHash) -> new User(current.id(), username, passwordHash, active, isAdmin))
					.flatMap(this.users::save)
					// a deactivated user, or one whose password was reset, keeps no session
					.flatMap((user) -> ((!user.active() && current.active()) || request.password() != null)
							? revokeTokens(user.id()).thenReturn(user) : Mono.just(user))
					.flatMap((user) -> this.auditTrail.record(admin, "user.updated", user.id(),
							ChangeDescriptions.ofUser(current, user, request.password() != null))
							.then(actingClients(user, current))
							.map((acting) -> withActingClients(view(user, null), acting)));
			// @formatter:on
		});
	}

	@DeleteMapping("/{id}")
	public Mono<ResponseEntity<Void>> delete(@PathVariable String id, Authentication admin) {
		// @formatter:off
		return find(id)
				// the user first, then the tokens, as for a client (see ClientAdminController#delete)
				.flatMap((user) -> this.administrators.checkChange(admin.getName(), user, null).thenReturn(user))
				.flatMap((user) -> this.users.deleteById(id)
						.then(revokeTokens(id))
						.then(this.auditTrail.record(admin, "user.deleted", id, "Deleted user '" + user.username() + "'")))
				.thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
		// @formatter:on
	}

	/**
	 * The clients that act as a user who has just been deactivated: their client_credentials requests fail from now
	 * on, which the administrator is told rather than finding out from the integration.
	 */
	private Mono<List<String>> actingClients(User user, User before) {
		if (user.active() || !before.active()) {
			return Mono.just(List.of());
		}
		return this.clients.findAll()
			.filter((client) -> user.id().equals(client.associatedUserId()))
			.map(RegisteredClient::name)
			.sort()
			.collectList();
	}

	private static Map<String, Object> withActingClients(Map<String, Object> view, List<String> acting) {
		if (!acting.isEmpty()) {
			view.put("clientsNowFailing", acting);
		}
		return view;
	}

	private Mono<Long> revokeTokens(String userId) {
		return this.authorizations.findByUserId(userId)
			.concatMap((authorization) -> this.authorizations.remove(authorization.id()))
			.count();
	}

	private Mono<User> find(String id) {
		return this.users.findById(id).switchIfEmpty(Mono.error(() -> AdminApiException.notFound("user", id)));
	}

	private Mono<String> hash(String password) {
		return this.hashing.run(PasswordHasher.SCHEME, () -> this.hasher.hash(password));
	}


	private static Map<String, Object> view(User user, @Nullable String generatedPassword) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", user.id());
		view.put("username", user.username());
		if (generatedPassword != null) {
			view.put("password", generatedPassword);
		}
		view.put("active", user.active());
		view.put("admin", user.admin());
		return view;
	}

	private static void checkPassword(@Nullable String password, Map<String, String> problems) {
		if (password != null && (password.length() < 8 || password.length() > 512)) {
			problems.put("password", "must be 8 to 512 characters (or leave it out to have one generated)");
		}
	}

}
