package dev.portcullis.web.admin.pages;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.web.admin.Page;
import dev.portcullis.web.admin.pages.Rows.TokenRow;
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
import org.springframework.web.server.ServerWebExchange;

import static dev.portcullis.web.admin.pages.AdminPageSupport.blankToNull;
import static dev.portcullis.web.admin.pages.AdminPageSupport.encode;
import static dev.portcullis.web.admin.pages.AdminPageSupport.flash;
import static dev.portcullis.web.admin.pages.AdminPageSupport.value;

/**
 * The token pages: the live tokens of a client or a user, revoking one, and "revoke all" (after a confirmation),
 * over {@link GrantAdministration}.
 */
@Controller
@RequestMapping("/admin/tokens")
public class TokenPagesController {

	private final GrantAdministration grants;

	public TokenPagesController(GrantAdministration grants) {
		this.grants = grants;
	}

	@GetMapping
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
		return Mono.defer(() -> this.grants.tokens(client, user, Page.offset(page, AdminPageSupport.PAGE_SIZE), AdminPageSupport.PAGE_SIZE))
				.map((listing) -> {
					AdminPageSupport.paging(model, Page.of(listing, page, AdminPageSupport.PAGE_SIZE).map(TokenRow::of),
							"/admin/tokens?" + filterQuery(client, user) + "&");
					return "admin/tokens";
				});
		// @formatter:on
	}

	@GetMapping("/{jti}/revoke")
	public String confirmRevokeToken(@PathVariable String jti, @RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, Model model) {
		return AdminPageSupport.confirm(model, "tokens", "Revoke this token?",
				"The access token " + jti + " stops working at once, on every gateway, and so does the refresh token "
						+ "issued with it. The application has to get a new token.",
				"/admin/tokens/" + encode(jti) + "/revoke", "Revoke token", back(clientId, userId),
				filterFields(clientId, userId));
	}

	@PostMapping("/{jti}/revoke")
	public Mono<String> revokeToken(@PathVariable String jti, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String back = back(value(data, "clientId"), value(data, "userId"));
			// @formatter:off
			return this.grants.revokeToken(jti, admin.getName())
					.then(flash(exchange, "notice", "Revoked the token " + jti + "."))
					.onErrorResume(NoSuchObjectException.class, (ex) -> flash(exchange, "alert", "That token was already revoked or has expired."))
					.thenReturn("redirect:" + back);
			// @formatter:on
		});
	}

	@GetMapping("/revoke-all")
	public String confirmRevokeAll(@RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, Model model) {
		String client = blankToNull(clientId);
		String user = blankToNull(userId);
		if ((client == null) == (user == null)) {
			throw new InvalidFieldsException("clientId", "give exactly one of clientId or userId");
		}
		String whose = (client != null) ? "client " + client : "user " + user;
		return AdminPageSupport.confirm(model, "tokens", "Revoke every token of " + whose + "?",
				"Every live access and refresh token of " + whose + " stops working at once (\"log out everywhere\").",
				"/admin/tokens/revoke-all", "Revoke all", back(client, user), filterFields(client, user));
	}

	@PostMapping("/revoke-all")
	public Mono<String> revokeAll(ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String client = blankToNull(value(data, "clientId"));
			String user = blankToNull(value(data, "userId"));
			// @formatter:off
			return this.grants.revokeAll(client, user, admin.getName())
					.flatMap((revoked) -> flash(exchange, "notice", "Revoked " + revoked + " grants."))
					.thenReturn("redirect:" + back(client, user));
			// @formatter:on
		});
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

}
