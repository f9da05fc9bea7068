package dev.portcullis.web.admin.pages;

import java.util.Map;

import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.admin.UserAdministration;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;

import static dev.portcullis.web.admin.pages.AdminPageSupport.encode;
import static dev.portcullis.web.admin.pages.AdminPageSupport.flash;
import static dev.portcullis.web.admin.pages.AdminPageSupport.value;

/**
 * What a user has granted, ended from their page (after a confirmation): "log out everywhere" (every live token) and
 * withdrawing a remembered consent, over {@link GrantAdministration}.
 */
@Controller
@RequestMapping("/admin/users/{id}")
public class UserGrantsPagesController {

	private final UserAdministration users;

	private final GrantAdministration grants;

	public UserGrantsPagesController(UserAdministration users, GrantAdministration grants) {
		this.users = users;
		this.grants = grants;
	}

	@GetMapping("/logout")
	public Mono<String> confirmLogOutEverywhere(@PathVariable String id, Model model) {
		return this.users.find(id).map((user) -> AdminPageSupport.confirm(model, "users",
				"Log '" + user.username() + "' out everywhere?",
				"Every live access and refresh token of the user stops working at once, on every gateway, including "
						+ "those of clients acting as the user. The user can sign in again.",
				"/admin/users/" + encode(id) + "/logout", "Log out everywhere", "/admin/users/" + encode(id), Map.of()));
	}

	@PostMapping("/logout")
	public Mono<String> logOutEverywhere(@PathVariable String id, Authentication admin, ServerWebExchange exchange) {
		// @formatter:off
		return this.users.find(id)
				.flatMap((user) -> this.grants.revokeAll(null, user.id(), admin.getName()))
				.flatMap((revoked) -> flash(exchange, "notice", "Logged out everywhere: revoked " + revoked + " grants."))
				.thenReturn("redirect:/admin/users/" + encode(id));
		// @formatter:on
	}

	@GetMapping("/consents/withdraw")
	public Mono<String> confirmWithdrawConsent(@PathVariable String id, @RequestParam String clientId, Model model) {
		return this.users.find(id).map((user) -> AdminPageSupport.confirm(model, "users",
				"Withdraw the consent of '" + user.username() + "' for client " + clientId + "?",
				"The next time this client asks for authorization, the user is asked again. Tokens already issued "
						+ "stay valid: revoke them on the token page.",
				"/admin/users/" + encode(id) + "/consents/withdraw", "Withdraw consent", "/admin/users/" + encode(id),
				Map.of("clientId", clientId)));
	}

	@PostMapping("/consents/withdraw")
	public Mono<String> withdrawConsent(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String clientId = value(data, "clientId");
			// @formatter:off
			return this.grants.withdrawConsent(id, clientId, admin.getName())
					.then(flash(exchange, "notice", "Withdrew the consent for client " + clientId + "."))
					.onErrorResume(NoSuchObjectException.class, (ex) -> flash(exchange, "alert", "There was no consent for client " + clientId + " to withdraw."))
					.thenReturn("redirect:/admin/users/" + encode(id));
			// @formatter:on
		});
	}

}
