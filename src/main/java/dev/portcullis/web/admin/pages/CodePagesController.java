package dev.portcullis.web.admin.pages;

import java.util.Map;

import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.Names;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.web.admin.Page;
import dev.portcullis.web.admin.pages.Rows.CodeRow;
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

/**
 * The authorization-code pages: codes issued and not yet exchanged, and revoking one (after a confirmation), over
 * {@link GrantAdministration}. (Consents are withdrawn on their user's page.)
 */
@Controller
@RequestMapping("/admin/codes")
public class CodePagesController {

	private final GrantAdministration grants;

	private final Names names;

	public CodePagesController(GrantAdministration grants, Names names) {
		this.grants = grants;
		this.names = names;
	}

	@GetMapping
	public Mono<String> codes(@RequestParam(defaultValue = "0") int page, Model model) {
		model.addAttribute("section", "codes");
		int from = Math.max(page, 0);
		// @formatter:off
		return Mono.defer(() -> this.grants.pendingCodes(Page.offset(from, AdminPageSupport.PAGE_SIZE), AdminPageSupport.PAGE_SIZE))
				.flatMap((listing) -> this.names.of(listing.items().stream().map((pending) -> pending.code().clientId()).toList(),
								listing.items().stream().map((pending) -> pending.code().userId()).toList())
						.map((found) -> {
							AdminPageSupport.paging(model, Page.of(listing, from, AdminPageSupport.PAGE_SIZE).map((pending) -> CodeRow.of(pending, found)),
									"/admin/codes?");
							return "admin/codes";
						}));
		// @formatter:on
	}

	@GetMapping("/{codeHash}/revoke")
	public String confirmRevokeCode(@PathVariable String codeHash, Model model) {
		return AdminPageSupport.confirm(model, "codes", "Revoke this authorization code?",
				"The code " + codeHash.substring(0, Math.min(12, codeHash.length())) + "… can no longer be exchanged "
						+ "for a token; if the application still tries, that counts as a replayed code.",
				"/admin/codes/" + encode(codeHash) + "/revoke", "Revoke code", "/admin/codes", Map.of());
	}

	@PostMapping("/{codeHash}/revoke")
	public Mono<String> revokeCode(@PathVariable String codeHash, ServerWebExchange exchange, Authentication admin) {
		// @formatter:off
		return this.grants.revokeCode(codeHash, admin.getName())
				.then(flash(exchange, "notice", "Revoked the authorization code."))
				.onErrorResume(NoSuchObjectException.class, (ex) -> flash(exchange, "alert", "That code was already exchanged, revoked or has expired."))
				.thenReturn("redirect:/admin/codes");
		// @formatter:on
	}

}
