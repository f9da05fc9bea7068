package dev.portcullis.web.admin.pages;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.admin.SigningKeyAdministration;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.SigningKey;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.server.ServerWebExchange;

import static dev.portcullis.web.admin.pages.AdminPageSupport.encode;
import static dev.portcullis.web.admin.pages.AdminPageSupport.flash;

/**
 * The signing keys page: every key with its state and dates, and the rotation (create the next key, promote it, retire
 * a key now), each after a confirmation, over {@link SigningKeyAdministration}. What the rules refuse comes back as
 * the page's alert.
 */
@Controller
@RequestMapping("/admin/signing-keys")
public class SigningKeyPagesController {

	private static final String PAGE = "redirect:/admin/signing-keys";

	private final SigningKeyAdministration signingKeys;

	private final Clock clock;

	public SigningKeyPagesController(SigningKeyAdministration signingKeys, Clock clock) {
		this.signingKeys = signingKeys;
		this.clock = clock;
	}

	@GetMapping
	public Mono<String> signingKeys(Model model) {
		model.addAttribute("section", "signing-keys");
		model.addAttribute("configured", this.signingKeys.configured());
		return this.signingKeys.list().map((set) -> {
			Instant now = this.clock.instant();
			model.addAttribute("keys", set.keys().stream().map((key) -> row(key, now)).toList());
			model.addAttribute("hasNext", set.next().isPresent());
			return "admin/signing-keys";
		});
	}

	@GetMapping("/create-next")
	public String confirmCreateNext(Model model) {
		return AdminPageSupport.confirm(model, "signing-keys", "Create the next signing key?",
				"A new key is published in the JWK Set at once and signs nothing until it is promoted, which is possible "
						+ "once caches can know it.",
				"/admin/signing-keys/create-next", "Create next key", "/admin/signing-keys", Map.of());
	}

	@PostMapping("/create-next")
	public Mono<String> createNext(ServerWebExchange exchange, Authentication admin) {
		// @formatter:off
		// the RS256 key; the EdDSA key rotates on the schedule or through the API
		return this.signingKeys.createNext(SigningAlgorithm.RS256, admin.getName())
				.flatMap((next) -> flash(exchange, "notice", "Created the next key " + next.kid() + "; it can be promoted from "
						+ AdminPageSupport.when(this.signingKeys.promotableAt(next)) + " (UTC)."))
				.onErrorResume(AdministrationRefusedException.class, (ex) -> flash(exchange, "alert", ex.getMessage()))
				.thenReturn(PAGE);
		// @formatter:on
	}

	@GetMapping("/{kid}/promote")
	public String confirmPromote(@PathVariable String kid, Model model) {
		return AdminPageSupport.confirm(model, "signing-keys", "Promote the key " + kid + "?",
				"It signs every new token from now on. The active key is retired: still published and accepted until the "
						+ "last token it signed has expired.",
				"/admin/signing-keys/" + encode(kid) + "/promote", "Promote", "/admin/signing-keys", Map.of());
	}

	@PostMapping("/{kid}/promote")
	public Mono<String> promote(@PathVariable String kid, ServerWebExchange exchange, Authentication admin) {
		// @formatter:off
		return this.signingKeys.promote(kid, admin.getName())
				.flatMap((active) -> flash(exchange, "notice", "The key " + active.kid() + " signs from now on."))
				.onErrorResume(AdministrationRefusedException.class, (ex) -> flash(exchange, "alert", ex.getMessage()))
				.onErrorResume(NoSuchObjectException.class, (ex) -> flash(exchange, "alert", "There is no key " + kid + " any more."))
				.thenReturn(PAGE);
		// @formatter:on
	}

	@GetMapping("/{kid}/retire")
	public String confirmRetire(@PathVariable String kid, Model model) {
		return AdminPageSupport.confirm(model, "signing-keys", "Retire the key " + kid + " now?",
				"For a compromised key: it is removed at once, and every token it signed stops working on every gateway. "
						+ "If it is the active key, the next key (or a new one) signs from now on. Applications have to get "
						+ "new tokens.",
				"/admin/signing-keys/" + encode(kid) + "/retire", "Retire now", "/admin/signing-keys", Map.of());
	}

	@PostMapping("/{kid}/retire")
	public Mono<String> retire(@PathVariable String kid, ServerWebExchange exchange, Authentication admin) {
		// @formatter:off
		return this.signingKeys.retireNow(kid, admin.getName())
				.flatMap((set) -> flash(exchange, "notice", "Retired the key " + kid + "; its tokens are refused."))
				.onErrorResume(AdministrationRefusedException.class, (ex) -> flash(exchange, "alert", ex.getMessage()))
				.onErrorResume(NoSuchObjectException.class, (ex) -> flash(exchange, "alert", "There is no key " + kid + " any more."))
				.thenReturn(PAGE);
		// @formatter:on
	}

	private KeyRow row(SigningKey key, Instant now) {
		Instant promotableAt = (key.state() == SigningKey.State.NEXT) ? this.signingKeys.promotableAt(key) : null;
		return new KeyRow(key.kid(), key.algorithm().getName(), key.state().name().toLowerCase(Locale.ROOT),
				AdminPageSupport.when(key.createdAt()), when(key.activatedAt()), when(key.retiredAt()),
				when(key.acceptedUntil()), when(promotableAt), promotableAt != null && !now.isBefore(promotableAt));
	}

	private static @Nullable String when(@Nullable Instant instant) {
		return (instant != null) ? AdminPageSupport.when(instant) : null;
	}

	/** One key as the page shows it; dates in UTC, {@code null} where they do not apply. */
	public record KeyRow(String kid, String algorithm, String state, String created, @Nullable String activated,
			@Nullable String retired, @Nullable String acceptedUntil, @Nullable String promotableAt,
			boolean promotableNow) {
	}

}
