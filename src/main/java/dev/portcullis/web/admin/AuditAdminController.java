package dev.portcullis.web.admin;

import dev.portcullis.admin.AuditSearch;
import dev.portcullis.admin.AuditSearch.AuditFilter;
import dev.portcullis.oauth2.AuditEvent;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/api/audit}: who changed what, newest first, a page at a time like every other list, optionally
 * only the entries of an actor, an action, an object or a time range (see {@link AuditFilter}).
 */
@RestController
public class AuditAdminController {

	private final AuditSearch audit;

	public AuditAdminController(AuditSearch audit) {
		this.audit = audit;
	}

	@GetMapping("/admin/api/audit")
	public Mono<Page<AuditEvent>> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size, @RequestParam(required = false) @Nullable String actor,
			@RequestParam(required = false) @Nullable String action,
			@RequestParam(required = false) @Nullable String object, @RequestParam(required = false) @Nullable String from,
			@RequestParam(required = false) @Nullable String to) {
		AuditFilter filter = new AuditFilter(actor, action, object, from, to);
		return Mono.defer(() -> this.audit.search(filter, Page.offset(page, size), size))
			.map((listing) -> Page.of(listing, page, size));
	}

}
