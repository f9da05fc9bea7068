package dev.portcullis.web.admin;

import java.util.List;

import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.store.AuditLog;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/api/audit}: who changed what, newest first.
 */
@RestController
public class AuditAdminController {

	private final AuditLog audit;

	public AuditAdminController(AuditLog audit) {
		this.audit = audit;
	}

	@GetMapping("/admin/api/audit")
	public Mono<List<AuditEvent>> recent(@RequestParam(defaultValue = "0") int offset,
			@RequestParam(defaultValue = "50") int limit) {
		if (offset < 0 || limit < 1 || limit > Page.MAX_SIZE) {
			return Mono.error(AdminApiException.invalid("limit", "offset must be 0 or more, limit 1 to " + Page.MAX_SIZE));
		}
		return this.audit.recent(offset, limit).collectList();
	}

}
