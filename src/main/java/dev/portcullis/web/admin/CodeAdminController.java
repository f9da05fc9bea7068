package dev.portcullis.web.admin;

import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.web.admin.GrantViews.CodeView;
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
 * {@code /admin/api/codes}: authorization codes issued and not yet exchanged (known by their SHA-256, the codes
 * themselves are never stored), and their revocation, over {@link GrantAdministration}.
 */
@RestController
@RequestMapping("/admin/api/codes")
public class CodeAdminController {

	private final GrantAdministration grants;

	public CodeAdminController(GrantAdministration grants) {
		this.grants = grants;
	}

	@GetMapping
	public Mono<Page<CodeView>> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size) {
		return Mono.defer(() -> this.grants.pendingCodes(Page.offset(page, size), size))
			.map((listing) -> Page.of(listing, page, size).map(CodeView::of));
	}

	/** Revokes a pending code by its hash: an exchange fails, and a replay counts as reuse. */
	@DeleteMapping("/{codeHash}")
	public Mono<ResponseEntity<Void>> revoke(@PathVariable String codeHash, Authentication admin) {
		return this.grants.revokeCode(codeHash, admin.getName())
			.thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
	}

}
