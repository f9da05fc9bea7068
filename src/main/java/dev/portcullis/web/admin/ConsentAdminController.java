package dev.portcullis.web.admin;

import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.web.admin.GrantViews.ConsentView;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/consents}: a user's remembered "Authorize" decisions, newest first, and their withdrawal (the
 * next authorization request from that client asks the user again), over {@link GrantAdministration}.
 */
@RestController
@RequestMapping("/admin/api/consents")
public class ConsentAdminController {

	private final GrantAdministration grants;

	public ConsentAdminController(GrantAdministration grants) {
		this.grants = grants;
	}

	@GetMapping
	public Mono<Page<ConsentView>> list(@RequestParam String userId, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size) {
		return Page.of(this.grants.consents(userId).map(ConsentView::of), page, size);
	}

	@DeleteMapping
	public Mono<ResponseEntity<Void>> revoke(@RequestParam String userId, @RequestParam String clientId,
			Authentication admin) {
		return this.grants.withdrawConsent(userId, clientId, admin.getName())
			.thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
	}

}
