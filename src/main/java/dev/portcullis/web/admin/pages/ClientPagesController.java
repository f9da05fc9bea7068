package dev.portcullis.web.admin.pages;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.portcullis.admin.ClientAdministration;
import dev.portcullis.admin.ClientAdministration.ClientCommand;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.Names;
import dev.portcullis.admin.UserAdministration;
import dev.portcullis.oauth2.grant.TokenIssuer;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.web.admin.ClientView;
import dev.portcullis.web.admin.Page;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

import static dev.portcullis.web.admin.pages.AdminPageSupport.blankToNull;
import static dev.portcullis.web.admin.pages.AdminPageSupport.encode;
import static dev.portcullis.web.admin.pages.AdminPageSupport.flash;
import static dev.portcullis.web.admin.pages.AdminPageSupport.value;

/**
 * The client pages: the list, a client with its secret shown once after it is set, and the new and edit forms, over
 * {@link ClientAdministration}. Rotating the secret and deleting are in {@link ClientActionPagesController}.
 */
@Controller
@RequestMapping("/admin/clients")
public class ClientPagesController {

	private final ClientAdministration clients;

	private final UserAdministration users;

	private final Names names;

	private final TokenIssuer issuer;

	public ClientPagesController(ClientAdministration clients, UserAdministration users, Names names,
			TokenIssuer issuer) {
		this.clients = clients;
		this.users = users;
		this.names = names;
		this.issuer = issuer;
	}

	@GetMapping
	public Mono<String> clients(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) @Nullable String search, @RequestParam(required = false) @Nullable String sort,
			@RequestParam(required = false) @Nullable String dir, @RequestParam(defaultValue = "20") int size,
			Model model) {
		ListQuery list = ListQuery.of("/admin/clients", search, sort, dir, size, "name");
		return Page.of(this.clients.search(list.wanted(), list.order()).map((client) -> ClientView.of(client, null)),
				page, list.size())
			.map((result) -> AdminPageSupport.list(model, "clients", list, result));
	}

	@GetMapping("/new")
	public String newClient(Model model) {
		return newForm(model, ClientForm.blank(), Map.of());
	}

	@PostMapping
	public Mono<Rendering> createClient(ServerWebExchange exchange, Authentication admin, Model model) {
		return exchange.getFormData().flatMap((data) -> {
			ClientForm form = ClientForm.read(data);
			Map<String, String> problems = new LinkedHashMap<>();
			if (!ClientForm.KINDS.contains(form.kind())) {
				problems.put("grantTypes", "choose one of the kinds");
			}
			Duration accessTtl = ClientForm.duration("accessTokenTtl", form.accessTokenTtl(), false, problems);
			Duration refreshTtl = ClientForm.duration("refreshTokenTtl", form.refreshTokenTtl(), false, problems);
			if (!problems.isEmpty()) {
				return Mono.just(AdminPageSupport.invalid(newForm(model, form, problems), model));
			}
			ClientCommand command = new ClientCommand(form.name(), List.of(form.kind()),
					blankToNull(value(data, "secret")), form.confidential(), blankToNull(form.associatedUser()),
					form.redirectUriList(), form.scopeList(), accessTtl, refreshTtl, ClientForm.refreshTokensSent(data),
					ClientForm.introspectionSent(data), ClientForm.backendCredentialSent(data),
					blankToNull(form.signingAlgorithm()));
			// @formatter:off
			return this.clients.create(command, admin.getName())
					.flatMap((created) -> AdminPageSupport.remember(exchange, created.client().id(), created.secret(),
									"Created client '" + created.client().name() + "'.")
							.thenReturn(Rendering.redirectTo("/admin/clients/" + encode(created.client().id())).build()))
					.onErrorResume(InvalidFieldsException.class,
							(ex) -> Mono.just(AdminPageSupport.invalid(newForm(model, form, ex.fields()), model)));
			// @formatter:on
		});
	}

	@GetMapping("/{id}")
	public Mono<String> client(@PathVariable String id, ServerWebExchange exchange, Model model) {
		return this.clients.find(id).zipWith(AdminPageSupport.oneTime(exchange, id)).flatMap((clientAndSecret) -> {
			model.addAttribute("section", "clients");
			model.addAttribute("client", ClientView.of(clientAndSecret.getT1(), null));
			// the lifetimes in effect, the gateway's defaults where the client has none of its own
			model.addAttribute("accessTokenTtl", this.issuer.accessTokenTtl(clientAndSecret.getT1()).toString());
			model.addAttribute("refreshTokenTtl", this.issuer.refreshTokenTtl(clientAndSecret.getT1()).toString());
			if (!clientAndSecret.getT2().isEmpty()) {
				model.addAttribute("secret", clientAndSecret.getT2());
			}
			String associated = clientAndSecret.getT1().associatedUserId();
			return ((associated != null) ? this.names.username(associated) : Mono.<String>empty())
				.doOnNext((username) -> model.addAttribute("associatedUsername", username))
				.thenReturn("admin/client");
		});
	}

	@GetMapping("/{id}/edit")
	public Mono<String> editClient(@PathVariable String id, Model model) {
		// the associated user by username, as the picker offers them (an id typed back is accepted too)
		return view(id).flatMap((client) -> ((client.associatedUser() != null) ? this.names.username(client.associatedUser())
				: Mono.<String>empty()).map(Optional::of).defaultIfEmpty(Optional.empty())
			.map((username) -> {
				ClientForm form = ClientForm.of(client, username.orElse(null));
				model.addAttribute("associatedUserShown", form.associatedUser());
				return editForm(model, client, form, Map.of());
			}));
	}

	/** Saves the edit form: every field is sent, so what the form shows is what is kept. */
	@PostMapping("/{id}/edit")
	public Mono<Rendering> updateClient(@PathVariable String id, ServerWebExchange exchange, Authentication admin,
			Model model) {
		return view(id).zipWith(exchange.getFormData()).flatMap((clientAndData) -> {
			ClientView client = clientAndData.getT1();
			ClientForm form = ClientForm.read(clientAndData.getT2());
			String shown = value(clientAndData.getT2(), "associatedUserShown");
			model.addAttribute("associatedUserShown", shown);
			Boolean refreshTokens = ClientForm.refreshTokensSent(clientAndData.getT2());
			Map<String, String> problems = new LinkedHashMap<>();
			if (form.grantTypes().isEmpty()) {
				problems.put("grantTypes", "choose at least one");
			}
			else if (!ClientForm.KINDS.containsAll(form.grantTypes())) {
				problems.put("grantTypes", "choose among the grants listed");
			}
			Duration accessTtl = ClientForm.duration("accessTokenTtl", form.accessTokenTtl(), true, problems);
			Duration refreshTtl = ClientForm.duration("refreshTokenTtl", form.refreshTokenTtl(), true, problems);
			if (!problems.isEmpty()) {
				return Mono.just(AdminPageSupport.invalid(editForm(model, client, form, problems), model));
			}
			ClientCommand command = new ClientCommand(form.name(), form.grantTypesKept(client, refreshTokens), null,
					form.confidential(), form.associatedUserKept(client, shown), form.redirectUriList(), form.scopeList(), accessTtl, refreshTtl,
					refreshTokens, ClientForm.introspectionSent(clientAndData.getT2()),
					ClientForm.backendCredentialSent(clientAndData.getT2()), blankToNull(form.signingAlgorithm()));
			// @formatter:off
			return this.clients.update(id, command, admin.getName())
					.flatMap((updated) -> flash(exchange, "notice", "Saved client '" + updated.name() + "'.")
							.thenReturn(Rendering.redirectTo("/admin/clients/" + encode(id)).build()))
					.onErrorResume(InvalidFieldsException.class,
							(ex) -> Mono.just(AdminPageSupport.invalid(editForm(model, client, form, ex.fields()), model)));
			// @formatter:on
		});
	}

	private Mono<ClientView> view(String id) {
		return this.clients.find(id).map((client) -> ClientView.of(client, null));
	}

	private String newForm(Model model, ClientForm form, Map<String, String> errors) {
		model.addAttribute("section", "clients");
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		model.addAttribute("usernames", usernames());
		model.addAttribute("backendCredentials", backendCredentials(form));
		return "admin/client-new";
	}

	private String editForm(Model model, ClientView client, ClientForm form, Map<String, String> errors) {
		model.addAttribute("section", "clients");
		model.addAttribute("client", client);
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		model.addAttribute("kinds", ClientForm.KINDS);
		model.addAttribute("usernames", usernames());
		model.addAttribute("backendCredentials", backendCredentials(form));
		return "admin/client-edit";
	}

	/**
	 * The backend credentials the select offers: the configured ones, and the one the form holds if it is no longer
	 * configured (so that saving other changes does not silently move the client to the route's default).
	 */
	private List<String> backendCredentials(ClientForm form) {
		List<String> names = new ArrayList<>(this.clients.backendCredentials());
		if (!names.isEmpty() && !form.backendCredential().isEmpty() && !names.contains(form.backendCredential())) {
			names.add(form.backendCredential());
		}
		return names;
	}

	/** The associated user's picker offers every username (the layer takes a username or an id). */
	private Mono<List<String>> usernames() {
		return this.users.search(null).map(User::username).collectList();
	}

}
