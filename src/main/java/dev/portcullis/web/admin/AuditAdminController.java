package dev.portcullis.web.admin;

import dev.portcullis.admin.AuditTrail;
import dev.portcullis.oauth2.AuditEvent;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/api/audit}: who changed what, newest first, a page at a time like every other list.
 */
@RestController
public class AuditAdminController {

	private final AuditTrail audit;

	public AuditAdminController(AuditTrail audit) {
		this.audit = audit;
	}

	@GetMapping("/admin/api/audit")
	public Mono<Page<AuditEvent>> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size) {
		return Mono.defer(() -> this.audit.recent(Page.offset(page, size), size))
			.map((listing) -> Page.of(listing, page, size));
	}

}
