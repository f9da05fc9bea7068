package dev.portcullis.web.admin.pages;

import java.util.Map;

import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.admin.ClientAdministration;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.web.admin.ClientView;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.server.ServerWebExchange;

import static dev.portcullis.web.admin.pages.AdminPageSupport.blankToNull;
import static dev.portcullis.web.admin.pages.AdminPageSupport.encode;
import static dev.portcullis.web.admin.pages.AdminPageSupport.flash;
import static dev.portcullis.web.admin.pages.AdminPageSupport.value;

/**
 * What the client pages do to a client after asking: rotating its secret and deleting it, each with a confirmation
 * page first, over {@link ClientAdministration}.
 */
@Controller
@RequestMapping("/admin/clients")
public class ClientActionPagesController {

	private final ClientAdministration clients;

	public ClientActionPagesController(ClientAdministration clients) {
		this.clients = clients;
	}

	/** Rotating asks first: the old secret stops working, and a public client becomes confidential. */
	@GetMapping("/{id}/secret")
	public Mono<String> confirmRotateSecret(@PathVariable String id, Model model) {
		return view(id).map((client) -> {
			boolean confidential = client.confidential();
			model.addAttribute("askSecret", true);
			return AdminPageSupport.confirm(model, "clients",
					confidential ? "Rotate the secret of '" + client.name() + "'?"
							: "Give '" + client.name() + "' a secret and make it confidential?",
					confidential ? "A new secret replaces the old one at once: the old one stops working, and the "
							+ "application must be given the new one, which is shown once."
							: "This client is public: its app sends no secret (it proves itself with PKCE). With a "
									+ "secret it becomes confidential, and from then on its app must send the secret, "
									+ "or every code exchange fails with 401.",
					"/admin/clients/" + encode(id) + "/secret",
					confidential ? "Rotate secret" : "Give it a secret and make it confidential",
					"/admin/clients/" + encode(id), confidential ? Map.of() : Map.of("confidential", "true"));
		});
	}

	@PostMapping("/{id}/secret")
	public Mono<String> rotateSecret(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return exchange.getFormData().flatMap((data) -> {
			String typed = blankToNull(value(data, "secret"));
			// the public client's form says what a secret does to it and asks for this explicitly
			boolean makeConfidential = data.containsKey("confidential");
			// @formatter:off
			return this.clients.rotateSecret(id, typed, makeConfidential, admin.getName())
					.flatMap((rotated) -> AdminPageSupport.remember(exchange, id, rotated.secret(), "The secret was replaced. The old one no longer works."))
					.onErrorResume((ex) -> ex instanceof InvalidFieldsException || ex instanceof AdministrationRefusedException
							|| ex instanceof NoSuchObjectException,
							(ex) -> flash(exchange, "alert", "The secret was not changed: " + AdminPageSupport.problems(ex)))
					.thenReturn("redirect:/admin/clients/" + encode(id));
			// @formatter:on
		});
	}

	@GetMapping("/{id}/delete")
	public Mono<String> confirmDeleteClient(@PathVariable String id, Model model) {
		return view(id).map((client) -> AdminPageSupport.confirm(model, "clients",
				"Delete client '" + client.name() + "'?",
				"The client is deleted and every token issued to it is revoked at once. This cannot be undone.",
				"/admin/clients/" + encode(id) + "/delete", "Delete client", "/admin/clients/" + encode(id), Map.of()));
	}

	@PostMapping("/{id}/delete")
	public Mono<String> deleteClient(@PathVariable String id, ServerWebExchange exchange, Authentication admin) {
		return this.clients.delete(id, admin.getName())
			.flatMap((client) -> flash(exchange, "notice", "Deleted client '" + client.name() + "' and revoked its tokens."))
			.thenReturn("redirect:/admin/clients");
	}

	private Mono<ClientView> view(String id) {
		return this.clients.find(id).map((client) -> ClientView.of(client, null));
	}

}
