package dev.portcullis.web.admin;

import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.web.admin.GrantViews.Revoked;
import dev.portcullis.web.admin.GrantViews.TokenView;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/tokens}: the live grants, all or of a client or a user, revocation of one token's grant, and
 * "log out everywhere" for a client or a user, over {@link GrantAdministration}.
 */
@RestController
@RequestMapping("/admin/api/tokens")
public class TokenAdminController {

	private final GrantAdministration grants;

	public TokenAdminController(GrantAdministration grants) {
		this.grants = grants;
	}

	/** Live tokens, latest-expiring first; {@code userId} takes a username too. */
	@GetMapping
	public Mono<Page<TokenView>> list(@RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size) {
		return Mono.defer(() -> this.grants.tokens(clientId, userId, Page.offset(page, size), size))
			.map((listing) -> Page.of(listing, page, size).map(TokenView::of));
	}

	/** Revokes the token with this {@code jti} and everything issued in its grant (its refresh token too). */
	@DeleteMapping("/{jti}")
	public Mono<ResponseEntity<Void>> revoke(@PathVariable String jti, Authentication admin) {
		return this.grants.revokeToken(jti, admin.getName()).thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
	}

	/** "Log out everywhere": revokes every live grant of the client or of the user. */
	@DeleteMapping
	public Mono<Revoked> revokeAll(@RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, Authentication admin) {
		return this.grants.revokeAll(clientId, userId, admin.getName()).map(Revoked::new);
	}

}
