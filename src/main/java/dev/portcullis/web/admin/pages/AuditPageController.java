package dev.portcullis.web.admin.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.portcullis.admin.AuditSearch;
import dev.portcullis.admin.AuditSearch.AuditFilter;
import dev.portcullis.admin.AuditSearch.NamedEvent;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.web.admin.Page;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

import static dev.portcullis.web.admin.pages.AdminPageSupport.encode;

/**
 * The audit log page: who changed what, newest first, a page at a time, filtered by actor, action, object and days
 * (the filters stay in the pager's links), with users and clients by name and linked while they exist.
 */
@Controller
public class AuditPageController {

	static final int AUDIT_PAGE_SIZE = 50;

	private final AuditSearch audit;

	public AuditPageController(AuditSearch audit) {
		this.audit = audit;
	}

	/**
	 * An entry as the page shows it.
	 *
	 * @param instant the time in ISO-8601, for the page's relative time
	 * @param actorLink the page of the user or client who made the change, while it exists
	 * @param objectLink the page of the user or client changed, while it exists
	 */
	public record AuditRow(String at, String instant, String actor, @Nullable String actorLink, String action,
			String object, @Nullable String objectLink, String detail) {

		static AuditRow of(NamedEvent named) {
			return new AuditRow(AdminPageSupport.when(named.event().at()), named.event().at().toString(),
					(named.actorName() != null) ? named.actorName() : named.event().actor(),
					link(named.actorKind(), named.event().actor()), named.event().action(),
					(named.objectName() != null) ? named.objectName() : named.event().target(),
					link(named.objectKind(), named.event().target()), named.event().detail());
		}

		private static @Nullable String link(@Nullable String kind, String id) {
			return (kind != null) ? "/admin/" + kind + "s/" + encode(id) : null;
		}

	}

	@GetMapping("/admin/audit")
	public Mono<Rendering> audit(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) @Nullable String actor,
			@RequestParam(required = false) @Nullable String action,
			@RequestParam(required = false) @Nullable String object, @RequestParam(required = false) @Nullable String from,
			@RequestParam(required = false) @Nullable String to, Model model) {
		AuditFilter filter = new AuditFilter(actor, action, object, from, to);
		model.addAttribute("section", "audit");
		model.addAttribute("filter", filter);
		// @formatter:off
		return Mono.defer(() -> this.audit.search(filter, Page.offset(page, AUDIT_PAGE_SIZE), AUDIT_PAGE_SIZE))
				.flatMap((listing) -> this.audit.named(listing.items()).map((named) -> {
					model.addAttribute("errors", Map.of());
					model.addAttribute("events", named.stream().map(AuditRow::of).toList());
					AdminPageSupport.paging(model, Page.of(listing, page, AUDIT_PAGE_SIZE), base(filter));
					return Rendering.view("admin/audit").model(model.asMap()).build();
				}))
				// a day that is not one: the form again, with the field marked
				.onErrorResume(InvalidFieldsException.class, (ex) -> {
					model.addAttribute("errors", ex.fields());
					model.addAttribute("events", List.of());
					AdminPageSupport.paging(model, new Page<>(List.of(), 0, AUDIT_PAGE_SIZE, 0), base(filter));
					return Mono.just(Rendering.view("admin/audit").model(model.asMap()).status(HttpStatus.BAD_REQUEST).build());
				});
		// @formatter:on
	}

	/** The page's link with its filters, to which the pager adds {@code page=n}. */
	private static String base(AuditFilter filter) {
		List<String> parameters = new ArrayList<>();
		add(parameters, "actor", filter.actor());
		add(parameters, "action", filter.action());
		add(parameters, "object", filter.object());
		add(parameters, "from", filter.from());
		add(parameters, "to", filter.to());
		return "/admin/audit?" + (parameters.isEmpty() ? "" : String.join("&", parameters) + "&");
	}

	private static void add(List<String> parameters, String name, @Nullable String value) {
		if (value != null) {
			parameters.add(name + "=" + encode(value));
		}
	}

}
