package dev.portcullis.web.admin.pages;

import dev.portcullis.admin.AuditTrail;
import dev.portcullis.admin.ClientAdministration;
import dev.portcullis.admin.UserAdministration;
import dev.portcullis.web.admin.pages.Rows.EventRow;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The overview page: how many clients and users there are, and the latest changes.
 */
@Controller
public class OverviewPageController {

	private final ClientAdministration clients;

	private final UserAdministration users;

	private final AuditTrail audit;

	public OverviewPageController(ClientAdministration clients, UserAdministration users, AuditTrail audit) {
		this.clients = clients;
		this.users = users;
		this.audit = audit;
	}

	@GetMapping({ "/admin", "/admin/" })
	public Mono<String> overview(Model model) {
		// @formatter:off
		return Mono.zip(this.clients.search(null).count(), this.users.search(null).count(), this.audit.recent(0, 5))
				.map((all) -> {
					model.addAttribute("section", "overview");
					model.addAttribute("clientCount", all.getT1());
					model.addAttribute("userCount", all.getT2());
					model.addAttribute("events", all.getT3().items().stream().map(EventRow::of).toList());
					return "admin/overview";
				});
		// @formatter:on
	}

}
