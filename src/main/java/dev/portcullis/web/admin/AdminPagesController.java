package dev.portcullis.web.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.web.admin.ClientAdminController.ClientRequest;
import dev.portcullis.web.admin.UserAdminController.UserRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.util.UriUtils;

/**
 * The admin pages under {@code /admin}: server-rendered forms over the admin API's controllers, so validation,
 * hashing and the audit log are the API's. Changes are POSTed (with the CSRF token) and answered with a redirect;
 * the notice about what happened, and a secret or password shown once, wait in the session for the next page.
 * Deleting and revoking go through a confirmation page.
 */
@Controller
@RequestMapping("/admin")
public class AdminPagesController {

	static final int PAGE_SIZE = 20;

	static final int AUDIT_PAGE_SIZE = 50;

	/** The notice for the next page: {@code Map.of("kind", "notice"|"alert", "text", …)}. */
	private static final String FLASH = "portcullis.admin.flash";

	/** A secret or password to show once: {@code Map.of("id", …, "secret", …)}. */
	private static final String ONE_TIME = "portcullis.admin.oneTimeSecret";

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final List<String> KINDS = List.of("client_credentials", "password", "authorization_code");

	private final ClientAdminController clientApi;

	private final UserAdminController userApi;

	private final TokenAdminController tokenApi;

	private final AuditAdminController auditApi;

	private final CodeAdminController codeApi;

	private final ConsentAdminController consentApi;

	public AdminPagesController(ClientAdminController clientApi, UserAdminController userApi,
			TokenAdminController tokenApi, AuditAdminController auditApi, CodeAdminController codeApi,
			ConsentAdminController consentApi) {
		this.clientApi = clientApi;
		this.userApi = userApi;
		this.tokenApi = tokenApi;
		this.auditApi = auditApi;
		this.codeApi = codeApi;
		this.consentApi = consentApi;
	}

	/**
	 * The notice left by the change before, on the page that follows it (once). (An attribute method that returns a
	 * value: a {@code Mono<Void>} one would keep the CSRF token out of the page's forms.)
	 */
	@ModelAttribute("flash")
	Mono<Object> flash(ServerWebExchange exchange) {
		if (exchange.getRequest().getMethod() != HttpMethod.GET) {
			return Mono.empty();
		}
		return exchange.getSession().mapNotNull((session) -> session.getAttributes().remove(FLASH));
	}

	// --- overview

	@GetMapping({ "", "/" })
	public Mono<String> overview(Model model) {
		// @formatter:off
		return Mono.zip(this.clientApi.list(0, 1, null), this.userApi.list(0, 1, null), this.auditApi.recent(0, 5))
				.map((all) -> {
					model.addAttribute("section", "overview");
					model.addAttribute("clientCount", all.getT1().total());
					model.addAttribute("userCount", all.getT2().total());
					model.addAttribute("events", all.getT3().stream().map(AdminPagesController::event).toList());
					return "admin/overview";
				});
		// @formatter:on
	}

	// --- clients

	@GetMapping("/clients")
	public Mono<String> clients(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) @Nullable String search, Model model) {
		return this.clientApi.list(page, PAGE_SIZE, blankToNull(search)).map((result) -> {
			model.addAttribute("section", "clients");
			model.addAttribute("search", (search != null) ? search : "");
			paging(model, result, "/admin/clients" + ((search != null && !search.isBlank()) ? "?search=" + encode(search) + "&" : "?"));
			return "admin/clients";
		});
	}

	@GetMapping("/clients/new")
	public String newClient(Model model) {
		Map<String, Object> form = new LinkedHashMap<>();
		form.put("kind", "client_credentials");
		form.put("confidential", true);
		form.put("refreshTokens", true);
		return clientForm(model, form, Map.of());
	}

	@PostMapping("/clients")
	public Mono<Rendering> createClient(ServerWebExchange exchange, Authentication admin, Model model) {
		return exchange.getFormData().flatMap((data) -> {
			Map<String, Object> form = new LinkedHashMap<>();
			for (String field : List.of("name", "kind", "secret", "associatedUser", "redirectUris", "scopes",
					"accessTokenTtl", "refreshTokenTtl")) {
				form.put(field, value(data, field));
			}
			form.put("confidential", data.containsKey("confidential"));
			Boolean refreshTokens = checkbox(data, "refreshTokens");
			form.put("refreshTokens", refreshTokens == null || refreshTokens);
			Map<String, String> problems = new LinkedHashMap<>();
			String kind = (String) form.get("kind");
			if (!KINDS.contains(kind)) {
				problems.put("grantTypes", "choose one of the kinds");
			}
			Duration accessTtl = duration("accessTokenTtl", (String) form.get("accessTokenTtl"), problems);
			Duration refreshTtl = duration("refreshTokenTtl", (String) form.get("refreshTokenTtl"), problems);
			if (!problems.isEmpty()) {
				return Mono.just(invalidClientForm(model, form, problems));
			}
			ClientRequest request = new ClientRequest((String) form.get("name"), List.of(kind),
					blankToNull((String) form.get("secret")), (Boolean) form.get("confidential"),
					blankToNull((String) form.get("associatedUser")), lines((String) form.get("redirectUris")),
					words((String) form.get("scopes")), accessTtl, refreshTtl, refreshTokens);
			// @formatter:off
			return this.clientApi.create(request, admin)
					.flatMap((created) -> {
						Map<String, Object> client = created.getBody();
						String id = (String) client.get("id");
						return remember(exchange, id, (String) client.get("secret"),
								"Created client '" + client.get("name") + "'.")
								.thenReturn(Rendering.redirectTo("/admin/clients/" + encode(id)).build());
					})
					.onErrorResume(AdminApiException.class, (ex) -> Mono.just(invalidClientForm(model, form, ex.fields())));
			// @formatter:on
		});
	}

	@GetMapping("/clients/{id}")
	public Mono<String> client(@PathVariable String id, ServerWebExchange exchange, Model model) {
		return this.clientApi.get(id).zipWith(oneTime(exchange, id)).map((clientAndSecret) -> {
			model.addAttribute("section", "clients");
			model.addAttribute("client", clientAndSecret.getT1());
			if (!clientAndSecret.getT2().isEmpty()) {
				model.addAttribute("secret", clientAndSecret.getT2());
			}
			return "admin/client";
		});
	}

	@GetMapping("/clients/{id}/edit")
	public Mono<String> editClient(@PathVariable String id, Model model) {
		return this.clientApi.get(id).map((client) -> {
			Map<String, Object> form = new LinkedHashMap<>();
			form.put("name", client.get("name"));
			form.put("grantTypes", client.get("grantTypes"));
			form.put("confidential", client.get("confidential"));
			form.put("associatedUser", (client.get("associatedUser") != null) ? client.get("associatedUser") : "");
			form.put("redirectUris", String.join("\n", asStrings(client.get("redirectUris"))));
			form.put("scopes", String.join(" ", asStrings(client.get("scopes"))));
			form.put("accessTokenTtl", (client.get("accessTokenTtl") != null) ? client.get("accessTokenTtl") : "");
			form.put("refreshTokenTtl", (client.get("refreshTokenTtl") != null) ? client.get("refreshTokenTtl") : "");
			form.put("refreshTokens", client.get("refreshTokens"));
			return editForm(model, client, form, Map.of());
		});
	}

	/** Saves the edit form through the API's PATCH: every field is sent, so what the form shows is what is kept. */
	@PostMapping("/clients/{id}/edit")
	public Mono<Rendering> updateClient(@PathVariable String id, ServerWebExchange exchange, Authentication admin,
			Model model) {
		return this.clientApi.get(id).zipWith(exchange.getFormData()).flatMap((clientAndData) -> {
			Map<String, Object> client = clientAndData.getT1();
			MultiValueMap<String, String> data = clientAndData.getT2();
			Map<String, Object> form = new LinkedHashMap<>();
			for (String field : List.of("name", "associatedUser", "redirectUris", "scopes", "accessTokenTtl",
					"refreshTokenTtl")) {
				form.put(field, value(data, field));
			}
			List<String> grantTypes = (data.get("grantTypes") != null) ? new ArrayList<>(data.get("grantTypes")) : new ArrayList<>();
			form.put("grantTypes", List.copyOf(grantTypes));
			form.put("confidential", data.containsKey("confidential"));
			Boolean refreshTokens = checkbox(data, "refreshTokens");
			form.put("refreshTokens", refreshTokens == null || refreshTokens);
			Map<String, String> problems = new LinkedHashMap<>();
			if (grantTypes.isEmpty()) {
				problems.put("grantTypes", "choose at least one");
			}
			else if (!KINDS.containsAll(grantTypes)) {
				problems.put("grantTypes", "choose among the grants listed");
			}
			// the form shows every field, so an emptied lifetime field means the gateway's default again (PT0S to the API)
			Duration accessTtl = durationOrDefault("accessTokenTtl", (String) form.get("accessTokenTtl"), problems);
			Duration refreshTtl = durationOrDefault("refreshTokenTtl", (String) form.get("refreshTokenTtl"), problems);
			if (!problems.isEmpty()) {
				return Mono.just(invalidEditForm(model, client, form, problems));
			}
			// the box stands for refresh_token too: a client that lists it keeps it while its refresh tokens stay on
			if (!Boolean.FALSE.equals(refreshTokens) && asStrings(client.get("grantTypes")).contains("refresh_token")) {
				grantTypes.add("refresh_token");
			}
			ClientRequest request = new ClientRequest((String) form.get("name"), grantTypes, null,
					(Boolean) form.get("confidential"), ((String) form.get("associatedUser")).strip(),
					lines((String) form.get("redirectUris")), words((String) form.get("scopes")), accessTtl, refreshTtl,
					refreshTokens);
			// @formatter:off
			return this.clientApi.update(id, request, admin)
					.flatMap((updated) -> flash(exchange, "notice", "Saved client '" + updated.get("name") + "'.")
							.thenReturn(Rendering.redirectTo("/admin/clients/" + encode(id)).build()))
					.onErrorResume(AdminApiException.class, (ex) -> (ex.status() == HttpStatus.NOT_FOUND) ? Mono.error(ex)
							: Mono.just(invalidEditForm(model, client, form, forTheEditForm(ex.fields()))));
			// @formatter:on
		});
	}

	@PostMapping("/clients/{id}/secret")
	public Mono<String> rotateSecret(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			Map<String, Object> body = new LinkedHashMap<>();
			String typed = blankToNull(value(data, "secret"));
			if (typed != null) {
				body.put("secret", typed);
			}
			// the public client's form says what a secret does to it and asks for this explicitly
			if (data.containsKey("confidential")) {
				body.put("confidential", true);
			}
			// @formatter:off
			return this.clientApi.rotateSecret(id, body, admin)
					.flatMap((client) -> remember(exchange, id, (String) client.get("secret"), "The secret was replaced. The old one no longer works."))
					.onErrorResume(AdminApiException.class, (ex) -> flash(exchange, "alert", "The secret was not changed: " + problems(ex)))
					.thenReturn("redirect:/admin/clients/" + encode(id));
			// @formatter:on
		});
	}

	@GetMapping("/clients/{id}/delete")
	public Mono<String> confirmDeleteClient(@PathVariable String id, Model model) {
		return this.clientApi.get(id).map((client) -> confirm(model, "clients", "Delete client '" + client.get("name") + "'?",
				"The client is deleted and every token issued to it is revoked at once. This cannot be undone.",
				"/admin/clients/" + encode(id) + "/delete", "Delete client", "/admin/clients/" + encode(id), Map.of()));
	}

	@PostMapping("/clients/{id}/delete")
	public Mono<String> deleteClient(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return this.clientApi.get(id)
			.flatMap((client) -> this.clientApi.delete(id, admin)
				.then(flash(exchange, "notice", "Deleted client '" + client.get("name") + "' and revoked its tokens.")))
			.thenReturn("redirect:/admin/clients");
	}

	// --- tokens

	@GetMapping("/tokens")
	public Mono<String> tokens(@RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, @RequestParam(defaultValue = "0") int page,
			Model model) {
		String client = blankToNull(clientId);
		String user = blankToNull(userId);
		model.addAttribute("section", "tokens");
		model.addAttribute("clientId", (client != null) ? client : "");
		model.addAttribute("userId", (user != null) ? user : "");
		if (client == null && user == null) {
			return Mono.just("admin/tokens");
		}
		if (client != null && user != null) {
			model.addAttribute("error", "Filter by a client id or by a user id, not both.");
			return Mono.just("admin/tokens");
		}
		model.addAttribute("filter", filterQuery(client, user));
		// @formatter:off
		return this.tokenApi.list(client, user, page, PAGE_SIZE)
				.map((result) -> {
					paging(model, result.items().stream().map(AdminPagesController::token).toList(), result,
							"/admin/tokens?" + filterQuery(client, user) + "&");
					return "admin/tokens";
				});
		// @formatter:on
	}

	@GetMapping("/tokens/{jti}/revoke")
	public String confirmRevokeToken(@PathVariable String jti, @RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, Model model) {
		return confirm(model, "tokens", "Revoke this token?",
				"The access token " + jti + " stops working at once, on every gateway, and so does the refresh token "
						+ "issued with it. The application has to get a new token.",
				"/admin/tokens/" + encode(jti) + "/revoke", "Revoke token", back(clientId, userId),
				filterFields(clientId, userId));
	}

	@PostMapping("/tokens/{jti}/revoke")
	public Mono<String> revokeToken(@PathVariable String jti, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String back = back(value(data, "clientId"), value(data, "userId"));
			// @formatter:off
			return this.tokenApi.revoke(jti, admin)
					.then(flash(exchange, "notice", "Revoked the token " + jti + "."))
					.onErrorResume(AdminApiException.class, (ex) -> flash(exchange, "alert", "That token was already revoked or has expired."))
					.thenReturn("redirect:" + back);
			// @formatter:on
		});
	}

	@GetMapping("/tokens/revoke-all")
	public String confirmRevokeAll(@RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, Model model) {
		String client = blankToNull(clientId);
		String user = blankToNull(userId);
		if ((client == null) == (user == null)) {
			throw AdminApiException.invalid("clientId", "give exactly one of clientId or userId");
		}
		String whose = (client != null) ? "client " + client : "user " + user;
		return confirm(model, "tokens", "Revoke every token of " + whose + "?",
				"Every live access and refresh token of " + whose + " stops working at once (\"log out everywhere\").",
				"/admin/tokens/revoke-all", "Revoke all", back(client, user), filterFields(client, user));
	}

	@PostMapping("/tokens/revoke-all")
	public Mono<String> revokeAll(ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String client = blankToNull(value(data, "clientId"));
			String user = blankToNull(value(data, "userId"));
			// @formatter:off
			return this.tokenApi.revokeAll(client, user, admin)
					.flatMap((result) -> flash(exchange, "notice", "Revoked " + result.get("revoked") + " grants."))
					.thenReturn("redirect:" + back(client, user));
			// @formatter:on
		});
	}

	// --- authorization codes

	@GetMapping("/codes")
	public Mono<String> codes(@RequestParam(defaultValue = "0") int page, Model model) {
		model.addAttribute("section", "codes");
		return this.codeApi.list(Math.max(page, 0), PAGE_SIZE).map((result) -> {
			paging(model, result.items().stream().map(AdminPagesController::code).toList(), result, "/admin/codes?");
			return "admin/codes";
		});
	}

	@GetMapping("/codes/{codeHash}/revoke")
	public String confirmRevokeCode(@PathVariable String codeHash, Model model) {
		return confirm(model, "codes", "Revoke this authorization code?",
				"The code " + codeHash.substring(0, Math.min(12, codeHash.length())) + "… can no longer be exchanged "
						+ "for a token; if the application still tries, that counts as a replayed code.",
				"/admin/codes/" + encode(codeHash) + "/revoke", "Revoke code", "/admin/codes", Map.of());
	}

	@PostMapping("/codes/{codeHash}/revoke")
	public Mono<String> revokeCode(@PathVariable String codeHash, ServerWebExchange exchange, Authentication admin) {
		// @formatter:off
		return this.codeApi.revoke(codeHash, admin)
				.then(flash(exchange, "notice", "Revoked the authorization code."))
				.onErrorResume(AdminApiException.class, (ex) -> flash(exchange, "alert", "That code was already exchanged, revoked or has expired."))
				.thenReturn("redirect:/admin/codes");
		// @formatter:on
	}

	// --- users

	@GetMapping("/users")
	public Mono<String> users(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) @Nullable String search, Model model) {
		return this.userApi.list(page, PAGE_SIZE, blankToNull(search)).map((result) -> {
			model.addAttribute("section", "users");
			model.addAttribute("search", (search != null) ? search : "");
			paging(model, result, "/admin/users" + ((search != null && !search.isBlank()) ? "?search=" + encode(search) + "&" : "?"));
			return "admin/users";
		});
	}

	@GetMapping("/users/new")
	public String newUser(Model model) {
		Map<String, Object> form = new LinkedHashMap<>();
		form.put("active", true);
		form.put("admin", false);
		return userForm(model, form, Map.of());
	}

	@PostMapping("/users")
	public Mono<Rendering> createUser(ServerWebExchange exchange, Authentication admin, Model model) {
		return exchange.getFormData().flatMap((data) -> {
			Map<String, Object> form = new LinkedHashMap<>();
			form.put("username", value(data, "username"));
			form.put("active", data.containsKey("active"));
			form.put("admin", data.containsKey("admin"));
			UserRequest request = new UserRequest(value(data, "username"), blankToNull(value(data, "password")),
					(Boolean) form.get("active"), (Boolean) form.get("admin"));
			// @formatter:off
			return this.userApi.create(request, admin)
					.flatMap((created) -> {
						Map<String, Object> user = created.getBody();
						String id = (String) user.get("id");
						return remember(exchange, id, (String) user.get("password"), "Created user '" + user.get("username") + "'.")
								.thenReturn(Rendering.redirectTo("/admin/users/" + encode(id)).build());
					})
					.onErrorResume(AdminApiException.class, (ex) -> Mono.just(invalidUserForm(model, form, ex.fields())))
					.onErrorResume(UsernameTakenException.class, (ex) -> Mono.just(invalidUserForm(model, form, Map.of("username", "is already taken"))));
			// @formatter:on
		});
	}

	@GetMapping("/users/{id}")
	public Mono<String> user(@PathVariable String id, ServerWebExchange exchange, Authentication admin, Model model) {
		return Mono.zip(this.userApi.get(id), oneTime(exchange, id), this.consentApi.list(id)).map((userAndPassword) -> {
			model.addAttribute("section", "users");
			model.addAttribute("user", userAndPassword.getT1());
			model.addAttribute("consents", userAndPassword.getT3().stream().map(AdminPagesController::consent).toList());
			model.addAttribute("self", id.equals(admin.getName()));
			if (!userAndPassword.getT2().isEmpty()) {
				model.addAttribute("password", userAndPassword.getT2());
			}
			return "admin/user";
		});
	}

	@PostMapping("/users/{id}/password")
	public Mono<String> resetPassword(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String password = value(data, "password");
			if (password.isEmpty()) {
				return flash(exchange, "alert", "Type the new password.").thenReturn("redirect:/admin/users/" + encode(id));
			}
			// @formatter:off
			return this.userApi.update(id, new UserRequest(null, password, null, null), admin)
					.then(flash(exchange, "notice", "The password was reset; the user's tokens were revoked."))
					.onErrorResume(AdminApiException.class, (ex) -> flash(exchange, "alert", "The password was not changed: " + problems(ex)))
					.thenReturn("redirect:/admin/users/" + encode(id));
			// @formatter:on
		});
	}

	/** Activates or deactivates ({@code active=true|false}), or grants or takes administration ({@code admin=…}). */
	@PostMapping("/users/{id}/flags")
	public Mono<String> setFlags(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			Boolean active = data.containsKey("active") ? Boolean.valueOf(value(data, "active")) : null;
			Boolean isAdmin = data.containsKey("admin") ? Boolean.valueOf(value(data, "admin")) : null;
			// @formatter:off
			return this.userApi.update(id, new UserRequest(null, null, active, isAdmin), admin)
					.flatMap((user) -> flash(exchange, "notice", "Saved: '" + user.get("username") + "' is "
							+ (Boolean.TRUE.equals(user.get("active")) ? "active" : "inactive")
							+ (Boolean.TRUE.equals(user.get("admin")) ? ", an administrator." : ", not an administrator.")
							+ ((user.get("clientsNowFailing") != null) ? " These clients act as this user and get no "
									+ "tokens until it is active again: " + String.join(", ", asStrings(user.get("clientsNowFailing"))) + "." : "")))
					.onErrorResume(AdministrationRefusedException.class, (ex) -> flash(exchange, "alert", ex.getMessage()))
					.thenReturn("redirect:/admin/users/" + encode(id));
			// @formatter:on
		});
	}

	@GetMapping("/users/{id}/consents/withdraw")
	public Mono<String> confirmWithdrawConsent(@PathVariable String id, @RequestParam String clientId, Model model) {
		return this.userApi.get(id).map((user) -> confirm(model, "users",
				"Withdraw the consent of '" + user.get("username") + "' for client " + clientId + "?",
				"The next time this client asks for authorization, the user is asked again. Tokens already issued "
						+ "stay valid: revoke them on the token page.",
				"/admin/users/" + encode(id) + "/consents/withdraw", "Withdraw consent", "/admin/users/" + encode(id),
				Map.of("clientId", clientId)));
	}

	@PostMapping("/users/{id}/consents/withdraw")
	public Mono<String> withdrawConsent(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String clientId = value(data, "clientId");
			// @formatter:off
			return this.consentApi.revoke(id, clientId, admin)
					.then(flash(exchange, "notice", "Withdrew the consent for client " + clientId + "."))
					.onErrorResume(AdminApiException.class, (ex) -> flash(exchange, "alert", "There was no consent for client " + clientId + " to withdraw."))
					.thenReturn("redirect:/admin/users/" + encode(id));
			// @formatter:on
		});
	}

	@GetMapping("/users/{id}/delete")
	public Mono<String> confirmDeleteUser(@PathVariable String id, Authentication admin, Model model) {
		if (id.equals(admin.getName())) {
			throw AdminApiException.conflict("id", "You cannot delete yourself.");
		}
		return this.userApi.get(id).map((user) -> confirm(model, "users", "Delete user '" + user.get("username") + "'?",
				"The user is deleted and every token issued for them is revoked at once. This cannot be undone.",
				"/admin/users/" + encode(id) + "/delete", "Delete user", "/admin/users/" + encode(id), Map.of()));
	}

	@PostMapping("/users/{id}/delete")
	public Mono<String> deleteUser(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return this.userApi.get(id)
			.flatMap((user) -> this.userApi.delete(id, admin)
				.then(flash(exchange, "notice", "Deleted user '" + user.get("username") + "' and revoked their tokens."))
				.thenReturn("redirect:/admin/users")
				.onErrorResume(AdministrationRefusedException.class,
						(ex) -> flash(exchange, "alert", ex.getMessage()).thenReturn("redirect:/admin/users/" + encode(id))));
	}

	// --- audit log

	@GetMapping("/audit")
	public Mono<String> audit(@RequestParam(defaultValue = "0") int page, Model model) {
		int from = Math.max(page, 0) * AUDIT_PAGE_SIZE;
		// one more than a page, to know whether there is a next one
		return this.auditApi.recent(from, AUDIT_PAGE_SIZE + 1).map((events) -> {
			model.addAttribute("section", "audit");
			model.addAttribute("events", events.stream().limit(AUDIT_PAGE_SIZE).map(AdminPagesController::event).toList());
			model.addAttribute("previous", (page > 0) ? "/admin/audit?page=" + (page - 1) : null);
			model.addAttribute("next", (events.size() > AUDIT_PAGE_SIZE) ? "/admin/audit?page=" + (page + 1) : null);
			return "admin/audit";
		});
	}

	// --- errors

	/** An unknown id or a refused request that has no form to go back to. */
	@ExceptionHandler(AdminApiException.class)
	Rendering refused(AdminApiException ex) {
		String message = (ex.status() == HttpStatus.NOT_FOUND) ? "There is nothing here: it may have been deleted."
				: (ex.fields().isEmpty() ? ex.getMessage() : problems(ex));
		return Rendering.view("admin/error").modelAttribute("message", message).status(ex.status()).build();
	}

	// --- helpers

	private String clientForm(Model model, Map<String, Object> form, Map<String, String> errors) {
		model.addAttribute("section", "clients");
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		return "admin/client-new";
	}

	private Rendering invalidClientForm(Model model, Map<String, Object> form, Map<String, String> errors) {
		return Rendering.view(clientForm(model, form, errors)).model(model.asMap()).status(HttpStatus.BAD_REQUEST).build();
	}

	private String editForm(Model model, Map<String, Object> client, Map<String, Object> form,
			Map<String, String> errors) {
		model.addAttribute("section", "clients");
		model.addAttribute("client", client);
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		model.addAttribute("kinds", KINDS);
		return "admin/client-edit";
	}

	private Rendering invalidEditForm(Model model, Map<String, Object> client, Map<String, Object> form,
			Map<String, String> errors) {
		return Rendering.view(editForm(model, client, form, errors)).model(model.asMap()).status(HttpStatus.BAD_REQUEST).build();
	}

	/** The API's field problems, with its pointers to API endpoints replaced by what to do on the pages. */
	private static Map<String, String> forTheEditForm(Map<String, String> fields) {
		Map<String, String> errors = new LinkedHashMap<>();
		fields.forEach((field, problem) -> errors.put(field,
				problem.contains("POST /admin/api/clients/{id}/secret")
						? "this client has no secret: rotate the secret on the client's page first" : problem));
		return errors;
	}

	private String userForm(Model model, Map<String, Object> form, Map<String, String> errors) {
		model.addAttribute("section", "users");
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		return "admin/user-new";
	}

	private Rendering invalidUserForm(Model model, Map<String, Object> form, Map<String, String> errors) {
		return Rendering.view(userForm(model, form, errors)).model(model.asMap()).status(HttpStatus.BAD_REQUEST).build();
	}

	private static String confirm(Model model, String section, String title, String text, String action,
			String button, String cancel, Map<String, String> hidden) {
		model.addAttribute("section", section);
		model.addAttribute("title", title);
		model.addAttribute("text", text);
		model.addAttribute("action", action);
		model.addAttribute("button", button);
		model.addAttribute("cancel", cancel);
		model.addAttribute("hidden", hidden);
		return "admin/confirm";
	}

	private static <T> void paging(Model model, Page<T> page, String base) {
		paging(model, page.items(), page, base);
	}

	private static void paging(Model model, List<?> items, Page<?> page, String base) {
		model.addAttribute("items", items);
		model.addAttribute("total", page.total());
		model.addAttribute("first", (page.total() == 0) ? 0 : (long) page.page() * page.size() + 1);
		model.addAttribute("last", (long) page.page() * page.size() + items.size());
		model.addAttribute("previous", (page.page() > 0) ? base + "page=" + (page.page() - 1) : null);
		model.addAttribute("next", ((long) (page.page() + 1) * page.size() < page.total()) ? base + "page=" + (page.page() + 1) : null);
	}

	private static Mono<Void> flash(ServerWebExchange exchange, String kind, String text) {
		return exchange.getSession()
			.doOnNext((session) -> session.getAttributes().put(FLASH, new LinkedHashMap<>(Map.of("kind", kind, "text", text))))
			.then();
	}

	/** Keeps the secret for the next view of the object's page only (never in a URL), and a notice. */
	private static Mono<Void> remember(ServerWebExchange exchange, String id, @Nullable String secret, String notice) {
		return exchange.getSession().doOnNext((session) -> {
			session.getAttributes().put(FLASH, new LinkedHashMap<>(Map.of("kind", "notice", "text", notice)));
			if (secret != null) {
				session.getAttributes().put(ONE_TIME, new LinkedHashMap<>(Map.of("id", id, "secret", secret)));
			}
		}).then();
	}

	/** The secret kept for this object, removed as it is read; "" when there is none. */
	private static Mono<String> oneTime(ServerWebExchange exchange, String id) {
		return exchange.getSession().map((WebSession session) -> {
			if (session.getAttributes().get(ONE_TIME) instanceof Map<?, ?> kept && id.equals(kept.get("id"))) {
				session.getAttributes().remove(ONE_TIME);
				return String.valueOf(kept.get("secret"));
			}
			return "";
		});
	}

	private static Map<String, Object> token(Map<String, Object> view) {
		Map<String, Object> row = new LinkedHashMap<>(view);
		row.put("issued", when(Instant.parse((String) view.get("issuedAt"))));
		row.put("expires", when(Instant.parse((String) view.get("expiresAt"))));
		return row;
	}

	private static Map<String, Object> code(Map<String, Object> view) {
		Map<String, Object> row = new LinkedHashMap<>(view);
		row.put("issued", when(Instant.parse((String) view.get("issuedAt"))));
		row.put("expires", when(Instant.parse((String) view.get("expiresAt"))));
		return row;
	}

	private static Map<String, Object> consent(Map<String, Object> view) {
		Map<String, Object> row = new LinkedHashMap<>(view);
		row.put("granted", when(Instant.parse((String) view.get("grantedAt"))));
		return row;
	}

	private static List<String> asStrings(@Nullable Object values) {
		return (values instanceof List<?> list) ? list.stream().map(String::valueOf).toList() : List.of();
	}

	private static Map<String, Object> event(AuditEvent event) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("at", when(event.at()));
		row.put("actor", event.actor());
		row.put("action", event.action());
		row.put("target", event.target());
		row.put("detail", event.detail());
		return row;
	}

	private static String when(Instant instant) {
		return WHEN.format(instant);
	}

	private static String filterQuery(@Nullable String clientId, @Nullable String userId) {
		return (clientId != null) ? "clientId=" + encode(clientId) : "userId=" + encode(String.valueOf(userId));
	}

	private static Map<String, String> filterFields(@Nullable String clientId, @Nullable String userId) {
		Map<String, String> fields = new LinkedHashMap<>();
		if (blankToNull(clientId) != null) {
			fields.put("clientId", clientId);
		}
		if (blankToNull(userId) != null) {
			fields.put("userId", userId);
		}
		return fields;
	}

	/** The token list the change started from. */
	private static String back(@Nullable String clientId, @Nullable String userId) {
		String client = blankToNull(clientId);
		String user = blankToNull(userId);
		return (client == null && user == null) ? "/admin/tokens" : "/admin/tokens?" + filterQuery(client, user);
	}

	private static String problems(AdminApiException ex) {
		if (ex.fields().isEmpty()) {
			return ex.getMessage();
		}
		List<String> problems = new ArrayList<>();
		ex.fields().forEach((field, problem) -> problems.add(field + " " + problem));
		return String.join("; ", problems);
	}

	private static @Nullable Duration durationOrDefault(String field, String value, Map<String, String> problems) {
		return value.isBlank() ? Duration.ZERO : duration(field, value, problems);
	}

	private static @Nullable Duration duration(String field, String value, Map<String, String> problems) {
		if (value.isBlank()) {
			return null;
		}
		try {
			return value.strip().chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(value.strip()))
					: Duration.parse(value.strip().toUpperCase(Locale.ROOT));
		}
		catch (DateTimeParseException | NumberFormatException ex) {
			problems.put(field, "must be a number of seconds or an ISO-8601 duration such as PT1H");
			return null;
		}
	}

	/**
	 * A checkbox that the form marks with a hidden {@code _name} field, as Spring MVC's data binder does: ticked is
	 * true, marked but not ticked false, and {@code null} when the form did not have the box (an older page).
	 */
	private static @Nullable Boolean checkbox(MultiValueMap<String, String> data, String name) {
		if (data.containsKey(name)) {
			return true;
		}
		return data.containsKey("_" + name) ? false : null;
	}

	private static String value(MultiValueMap<String, String> data, String name) {
		String value = data.getFirst(name);
		return (value != null) ? value : "";
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static List<String> lines(String value) {
		return value.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
	}

	private static List<String> words(String value) {
		return Arrays.stream(value.split("[\\s,]+")).filter((word) -> !word.isEmpty()).toList();
	}

	private static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

}
