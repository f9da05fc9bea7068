package dev.portcullis.web.admin.pages;

import dev.portcullis.admin.AuditTrail;
import dev.portcullis.web.admin.Page;
import dev.portcullis.web.admin.pages.Rows.EventRow;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log page: who changed what, newest first, a page at a time.
 */
@Controller
public class AuditPageController {

	static final int AUDIT_PAGE_SIZE = 50;

	private final AuditTrail audit;

	public AuditPageController(AuditTrail audit) {
		this.audit = audit;
	}

	@GetMapping("/admin/audit")
	public Mono<String> audit(@RequestParam(defaultValue = "0") int page, Model model) {
		int from = Math.max(page, 0);
		return Mono.defer(() -> this.audit.recent(Page.offset(from, AUDIT_PAGE_SIZE), AUDIT_PAGE_SIZE)).map((listing) -> {
			model.addAttribute("section", "audit");
			model.addAttribute("events", listing.items().stream().map(EventRow::of).toList());
			model.addAttribute("previous", (from > 0) ? "/admin/audit?page=" + (from - 1) : null);
			model.addAttribute("next",
					((long) (from + 1) * AUDIT_PAGE_SIZE < listing.total()) ? "/admin/audit?page=" + (from + 1) : null);
			return "admin/audit";
		});
	}

}
