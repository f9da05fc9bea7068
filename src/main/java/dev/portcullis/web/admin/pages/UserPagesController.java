package dev.portcullis.web.admin.pages;

import java.util.List;
import java.util.Map;

import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.Names;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.admin.UserAdministration;
import dev.portcullis.admin.UserAdministration.UserCommand;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.web.admin.Page;
import dev.portcullis.web.admin.UserView;
import dev.portcullis.web.admin.pages.Rows.ClientLink;
import dev.portcullis.web.admin.pages.Rows.ConsentRow;
import dev.portcullis.web.admin.pages.Rows.UserForm;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import static dev.portcullis.web.admin.pages.AdminPageSupport.blankToNull;
import static dev.portcullis.web.admin.pages.AdminPageSupport.encode;
import static dev.portcullis.web.admin.pages.AdminPageSupport.flash;
import static dev.portcullis.web.admin.pages.AdminPageSupport.value;

/**
 * The user pages: the list, a user with their remembered consents, live-token count, the clients acting as them and a
 * generated password shown once, the new-user form, resetting the password, (de)activating, granting or taking
 * administration and deleting, over {@link UserAdministration} and {@link GrantAdministration}. (Their grants are
 * ended on {@link UserGrantsPagesController}.)
 */
@Controller
@RequestMapping("/admin/users")
public class UserPagesController {

	private final UserAdministration users;

	private final GrantAdministration grants;

	private final Names names;

	public UserPagesController(UserAdministration users, GrantAdministration grants, Names names) {
		this.users = users;
		this.grants = grants;
		this.names = names;
	}

	@GetMapping
	public Mono<String> users(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) @Nullable String search, @RequestParam(required = false) @Nullable String sort,
			@RequestParam(required = false) @Nullable String dir, @RequestParam(defaultValue = "20") int size,
			Model model) {
		ListQuery list = ListQuery.of("/admin/users", search, sort, dir, size, "username");
		return Page.of(this.users.search(list.wanted(), list.order()).map(UserView::of), page, list.size())
			.map((result) -> AdminPageSupport.list(model, "users", list, result));
	}

	@GetMapping("/new")
	public String newUser(Model model) {
		return userForm(model, new UserForm("", true, false), Map.of());
	}

	@PostMapping
	public Mono<Rendering> createUser(ServerWebExchange exchange, Authentication admin, Model model) {
		return exchange.getFormData().flatMap((data) -> {
			UserForm form = new UserForm(value(data, "username"), data.containsKey("active"), data.containsKey("admin"));
			UserCommand command = new UserCommand(form.username(), blankToNull(value(data, "password")), form.active(),
					form.admin());
			// @formatter:off
			return this.users.create(command, admin.getName())
					.flatMap((created) -> AdminPageSupport.remember(exchange, created.user().id(), created.generatedPassword(),
									"Created user '" + created.user().username() + "'.")
							.thenReturn(Rendering.redirectTo("/admin/users/" + encode(created.user().id())).build()))
					.onErrorResume(InvalidFieldsException.class, (ex) -> Mono.just(AdminPageSupport.invalid(userForm(model, form, ex.fields()), model)))
					.onErrorResume(UsernameTakenException.class, (ex) -> Mono.just(AdminPageSupport.invalid(userForm(model, form, Map.of("username", "is already taken")), model)));
			// @formatter:on
		});
	}

	@GetMapping("/{id}")
	public Mono<String> user(@PathVariable String id, ServerWebExchange exchange, Authentication admin, Model model) {
		// @formatter:off
		return Mono.zip(this.users.find(id), AdminPageSupport.oneTime(exchange, id), consents(id),
						this.grants.liveTokenCount(id), this.users.clientsActingAs(id).map(ClientLink::of).collectList())
				.map((userAndPassword) -> {
					model.addAttribute("section", "users");
					model.addAttribute("user", UserView.of(userAndPassword.getT1()));
					model.addAttribute("consents", userAndPassword.getT3());
					model.addAttribute("liveTokens", userAndPassword.getT4());
					model.addAttribute("actingClients", userAndPassword.getT5());
					model.addAttribute("self", id.equals(admin.getName()));
					if (!userAndPassword.getT2().isEmpty()) {
						model.addAttribute("password", userAndPassword.getT2());
					}
					return "admin/user";
				});
		// @formatter:on
	}

	@GetMapping("/{id}/password")
	public Mono<String> confirmResetPassword(@PathVariable String id, Model model) {
		return this.users.find(id).map((user) -> {
			model.addAttribute("askPassword", true);
			return AdminPageSupport.confirm(model, "users", "Reset the password of '" + user.username() + "'?",
					"The old password stops working at once, and every token issued for the user is revoked.",
					"/admin/users/" + encode(id) + "/password", "Reset password", "/admin/users/" + encode(id), Map.of());
		});
	}

	@PostMapping("/{id}/password")
	public Mono<String> resetPassword(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String password = value(data, "password");
			if (password.isEmpty()) {
				return flash(exchange, "alert", "Type the new password.").thenReturn("redirect:/admin/users/" + encode(id));
			}
			// @formatter:off
			return this.users.update(id, new UserCommand(null, password, null, null), admin.getName())
					.then(flash(exchange, "notice", "The password was reset; the user's tokens were revoked."))
					.onErrorResume((ex) -> ex instanceof InvalidFieldsException || ex instanceof NoSuchObjectException,
							(ex) -> flash(exchange, "alert", "The password was not changed: " + AdminPageSupport.problems(ex)))
					.thenReturn("redirect:/admin/users/" + encode(id));
			// @formatter:on
		});
	}

	/** Activates or deactivates ({@code active=true|false}), or grants or takes administration ({@code admin=…}). */
	/** Deactivating and granting or taking administration ask first, and so does activating. */
	@GetMapping("/{id}/flags")
	public Mono<String> confirmFlags(@PathVariable String id, @RequestParam(required = false) @Nullable Boolean active,
			@RequestParam(required = false) @Nullable Boolean admin, Model model) {
		if ((active == null) == (admin == null)) {
			throw new InvalidFieldsException("active", "give exactly one of active or admin");
		}
		return this.users.find(id).map((user) -> {
			String name = "'" + user.username() + "'";
			String back = "/admin/users/" + encode(id);
			String action = back + "/flags";
			if (active != null) {
				return active ? AdminPageSupport.confirm(model, "users", "Activate " + name + "?",
						"The user can sign in and get tokens again.", action, "Activate", back, Map.of("active", "true"))
						: AdminPageSupport.confirm(model, "users", "Deactivate " + name + "?",
								"The user can no longer sign in or get tokens, and every token issued for them is revoked "
										+ "at once. Clients that act as this user get no tokens until it is active again.",
								action, "Deactivate", back, Map.of("active", "false"));
			}
			return admin ? AdminPageSupport.confirm(model, "users", "Make " + name + " an administrator?",
					"The user may then use these pages and the admin API, and change or delete every client and user.",
					action, "Make administrator", back, Map.of("admin", "true"))
					: AdminPageSupport.confirm(model, "users", "Remove " + name + " as administrator?",
							"The user can no longer use these pages or the admin API, from their next request on.",
							action, "Remove administrator", back, Map.of("admin", "false"));
		});
	}

	@PostMapping("/{id}/flags")
	public Mono<String> setFlags(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			Boolean active = data.containsKey("active") ? Boolean.valueOf(value(data, "active")) : null;
			Boolean isAdmin = data.containsKey("admin") ? Boolean.valueOf(value(data, "admin")) : null;
			// @formatter:off
			return this.users.update(id, new UserCommand(null, null, active, isAdmin), admin.getName())
					.flatMap((updated) -> flash(exchange, "notice", "Saved: '" + updated.user().username() + "' is "
							+ (updated.user().active() ? "active" : "inactive")
							+ (updated.user().admin() ? ", an administrator." : ", not an administrator.")
							+ (updated.clientsNowFailing().isEmpty() ? "" : " These clients act as this user and get no "
									+ "tokens until it is active again: " + String.join(", ", updated.clientsNowFailing()) + ".")))
					.onErrorResume(AdministrationRefusedException.class, (ex) -> flash(exchange, "alert", ex.getMessage()))
					.thenReturn("redirect:/admin/users/" + encode(id));
			// @formatter:on
		});
	}

	@GetMapping("/{id}/delete")
	public Mono<String> confirmDeleteUser(@PathVariable String id, Authentication admin, Model model) {
		if (id.equals(admin.getName())) {
			throw new AdministrationRefusedException("You cannot delete yourself.");
		}
		return this.users.find(id).map((user) -> AdminPageSupport.confirm(model, "users",
				"Delete user '" + user.username() + "'?",
				"The user is deleted and every token issued for them is revoked at once. This cannot be undone.",
				"/admin/users/" + encode(id) + "/delete", "Delete user", "/admin/users/" + encode(id), Map.of()));
	}

	@PostMapping("/{id}/delete")
	public Mono<String> deleteUser(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		// @formatter:off
		return this.users.delete(id, admin.getName())
				.flatMap((user) -> flash(exchange, "notice", "Deleted user '" + user.username() + "' and revoked their tokens.")
						.thenReturn("redirect:/admin/users"))
				.onErrorResume(AdministrationRefusedException.class,
						(ex) -> flash(exchange, "alert", ex.getMessage()).thenReturn("redirect:/admin/users/" + encode(id)));
		// @formatter:on
	}

	/** The user's consents, with their clients' names (looked up once each). */
	private Mono<List<ConsentRow>> consents(String userId) {
		return this.grants.consents(userId).collectList().flatMap((consents) -> this.names
			.of(consents.stream().map(Consent::clientId).toList(), List.of())
			.map((found) -> consents.stream().map((consent) -> ConsentRow.of(consent, found)).toList()));
	}

	private static String userForm(Model model, UserForm form, Map<String, String> errors) {
		model.addAttribute("section", "users");
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		return "admin/user-new";
	}

}
