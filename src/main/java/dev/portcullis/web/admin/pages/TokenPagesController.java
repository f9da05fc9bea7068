package dev.portcullis.web.admin.pages;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.Listing;
import dev.portcullis.admin.Names;
import dev.portcullis.admin.Names.Found;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.oauth2.Authorization;
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
 * The token pages: every live token, or those of a client or a user (by name or id), with names in place of ids;
 * revoking one, and "revoke all" of a client or a user (after a confirmation), over {@link GrantAdministration}.
 */
@Controller
@RequestMapping("/admin/tokens")
public class TokenPagesController {

	private final GrantAdministration grants;

	private final Names names;

	public TokenPagesController(GrantAdministration grants, Names names) {
		this.grants = grants;
		this.names = names;
	}

	/** Every live token by default; filtered by a client (name or id) or a user (username or id). */
	@GetMapping
	public Mono<String> tokens(@RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, @RequestParam(defaultValue = "0") int page,
			Model model) {
		String client = blankToNull(clientId);
		String user = blankToNull(userId);
		model.addAttribute("section", "tokens");
		model.addAttribute("clientId", (client != null) ? client : "");
		model.addAttribute("userId", (user != null) ? user : "");
		model.addAttribute("filtered", client != null || user != null);
		if (client != null && user != null) {
			model.addAttribute("error", "Filter by a client or by a user, not both.");
			return Mono.just("admin/tokens");
		}
		String filter = filterQuery(client, user);
		model.addAttribute("filter", filter);
		int from = Math.max(page, 0);
		// @formatter:off
		return Mono.defer(() -> this.grants.tokens(client, user, Page.offset(from, AdminPageSupport.PAGE_SIZE), AdminPageSupport.PAGE_SIZE))
				.flatMap((listing) -> namesOf(listing).map((found) -> {
					AdminPageSupport.paging(model, Page.of(listing, from, AdminPageSupport.PAGE_SIZE).map((token) -> TokenRow.of(token, found)),
							filter.isEmpty() ? "/admin/tokens?" : "/admin/tokens?" + filter + "&");
					return "admin/tokens";
				}))
				.onErrorResume(InvalidFieldsException.class, (ex) -> {
					model.addAttribute("error", AdminPageSupport.problems(ex));
					return Mono.just("admin/tokens");
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

	private Mono<Found> namesOf(Listing<Authorization> listing) {
		return this.names.of(listing.items().stream().map(Authorization::clientId).toList(),
				listing.items().stream().map(Authorization::userId).toList());
	}

	/** The filter as a query string; "" for none. */
	private static String filterQuery(@Nullable String clientId, @Nullable String userId) {
		String client = blankToNull(clientId);
		String user = blankToNull(userId);
		return (client != null) ? "clientId=" + encode(client) : (user != null) ? "userId=" + encode(user) : "";
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
		String filter = filterQuery(clientId, userId);
		return filter.isEmpty() ? "/admin/tokens" : "/admin/tokens?" + filter;
	}

}
