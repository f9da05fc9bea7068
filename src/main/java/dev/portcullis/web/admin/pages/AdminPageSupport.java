package dev.portcullis.web.admin.pages;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.web.admin.Page;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;

/**
 * What every admin page shares: the notice left by the change before (shown once), the page for a refusal that has no
 * form to go back to, a secret or password kept in the session for the next view only, paging, confirmation pages,
 * and reading forms. Changes are POSTed (with the CSRF token) and answered with a redirect.
 */
@ControllerAdvice(basePackageClasses = AdminPageSupport.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AdminPageSupport {

	static final int PAGE_SIZE = 20;

	/** The notice for the next page. */
	private static final String FLASH = "portcullis.admin.flash";

	/** A secret or password to show once. */
	private static final String ONE_TIME = "portcullis.admin.oneTimeSecret";

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	/** A notice for the next page: {@code kind} is {@code notice} or {@code alert}. */
	public record Flash(String kind, String text) implements Serializable {
	}

	/** A secret or password kept for the next view of its object's page (never in a URL). */
	record OneTimeSecret(String id, String secret) implements Serializable {
	}

	/**
	 * The notice left by the change before, on the page that follows it (once). (An attribute method that returns a
	 * value: a {@code Mono<Void>} one would keep the CSRF token out of the page's forms.)
	 */
	@ModelAttribute("flash")
	Mono<Object> flash(ServerWebExchange exchange) {
		if (exchange.getRequest().getMethod() != HttpMethod.GET) {
			return Mono.empty();
		}
		return exchange.getSession().mapNotNull((session) -> session.getAttributes().remove(FLASH));
	}

	/** An unknown id, or a refused request that has no form to go back to. */
	@ExceptionHandler({ NoSuchObjectException.class, InvalidFieldsException.class,
			AdministrationRefusedException.class })
	Rendering refused(RuntimeException ex) {
		HttpStatus status = (ex instanceof NoSuchObjectException) ? HttpStatus.NOT_FOUND
				: (ex instanceof InvalidFieldsException) ? HttpStatus.BAD_REQUEST : HttpStatus.CONFLICT;
		String message = (status == HttpStatus.NOT_FOUND) ? "There is nothing here: it may have been deleted."
				: problems(ex);
		return Rendering.view("admin/error").modelAttribute("message", message).status(status).build();
	}

	static Mono<Void> flash(ServerWebExchange exchange, String kind, String text) {
		return exchange.getSession().doOnNext((session) -> session.getAttributes().put(FLASH, new Flash(kind, text))).then();
	}

	/** Keeps the secret for the next view of the object's page only (never in a URL), and a notice. */
	static Mono<Void> remember(ServerWebExchange exchange, String id, @Nullable String secret, String notice) {
		return exchange.getSession().doOnNext((session) -> {
			session.getAttributes().put(FLASH, new Flash("notice", notice));
			if (secret != null) {
				session.getAttributes().put(ONE_TIME, new OneTimeSecret(id, secret));
			}
		}).then();
	}

	/** The secret kept for this object, removed as it is read; "" when there is none. */
	static Mono<String> oneTime(ServerWebExchange exchange, String id) {
		return exchange.getSession().map((session) -> {
			if (session.getAttributes().get(ONE_TIME) instanceof OneTimeSecret kept && id.equals(kept.id())) {
				session.getAttributes().remove(ONE_TIME);
				return kept.secret();
			}
			return "";
		});
	}

	static String confirm(Model model, String section, String title, String text, String action, String button,
			String cancel, Map<String, String> hidden) {
		model.addAttribute("section", section);
		model.addAttribute("title", title);
		model.addAttribute("text", text);
		model.addAttribute("action", action);
		model.addAttribute("button", button);
		model.addAttribute("cancel", cancel);
		model.addAttribute("hidden", hidden);
		return "admin/confirm";
	}

	/** A form shown again with what was wrong: 400, with the model built so far. */
	static Rendering invalid(String view, Model model) {
		return Rendering.view(view).model(model.asMap()).status(HttpStatus.BAD_REQUEST).build();
	}

	/** A list page ({@code admin/<section>}): its items, where it stands ({@code list}), and the pager's links. */
	static String list(Model model, String section, ListQuery list, Page<?> page) {
		model.addAttribute("section", section);
		model.addAttribute("search", list.search());
		model.addAttribute("list", list);
		paging(model, page, list.base());
		return "admin/" + section;
	}

	static void paging(Model model, Page<?> page, String base) {
		model.addAttribute("items", page.items());
		model.addAttribute("total", page.total());
		model.addAttribute("first", (page.total() == 0) ? 0 : (long) page.page() * page.size() + 1);
		model.addAttribute("last", (long) page.page() * page.size() + page.items().size());
		model.addAttribute("previous", (page.page() > 0) ? base + "page=" + (page.page() - 1) : null);
		model.addAttribute("next",
				((long) (page.page() + 1) * page.size() < page.total()) ? base + "page=" + (page.page() + 1) : null);
	}

	/** What was refused, in one line: each field and its problem, or the reason. */
	static String problems(Throwable ex) {
		if (ex instanceof InvalidFieldsException invalid) {
			List<String> problems = new ArrayList<>();
			invalid.fields().forEach((field, problem) -> problems.add(field + " " + problem));
			return String.join("; ", problems);
		}
		if (ex instanceof AdministrationRefusedException refused && !refused.field().equals("id")) {
			return refused.field() + " " + refused.getMessage();
		}
		return String.valueOf(ex.getMessage());
	}

	static String when(Instant instant) {
		return WHEN.format(instant);
	}

	static String value(MultiValueMap<String, String> data, String name) {
		String value = data.getFirst(name);
		return (value != null) ? value : "";
	}

	static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

}
