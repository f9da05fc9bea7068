package dev.portcullis.web.admin;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.portcullis.admin.ClientAdministration;
import dev.portcullis.admin.ClientAdministration.ClientCommand;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/clients}: the OAuth2 clients SuiteCRM's admin panel offers (client credentials with an associated
 * user, password, authorization code with redirect URIs), over {@link ClientAdministration}. A secret is shown once,
 * when it is set.
 */
@RestController
@RequestMapping("/admin/api/clients")
public class ClientAdminController {

	private final ClientAdministration clients;

	public ClientAdminController(ClientAdministration clients) {
		this.clients = clients;
	}

	/**
	 * What an administrator sends to create or change a client; every field optional on PATCH, where {@code null}
	 * keeps a field; {@code backendCredential} {@code ""} goes back to the route's default.
	 */
	public record ClientRequest(@Nullable String name, @Nullable List<String> grantTypes, @Nullable String secret,
			@Nullable Boolean confidential, @Nullable String associatedUser, @Nullable List<String> redirectUris,
			@Nullable List<String> scopes, @Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl,
			@Nullable Boolean refreshTokens, @Nullable Boolean introspection, @Nullable String backendCredential,
			@Nullable String signingAlgorithm) {

		ClientCommand toCommand() {
			return new ClientCommand(this.name, this.grantTypes, this.secret, this.confidential, this.associatedUser,
					this.redirectUris, this.scopes, this.accessTokenTtl, this.refreshTokenTtl, this.refreshTokens,
					this.introspection, this.backendCredential, this.signingAlgorithm);
		}

	}

	/** What rotating a secret takes: a typed secret (else one is generated), and consent to make a public client confidential. */
	public record SecretRequest(@Nullable String secret, @Nullable Boolean confidential) {
	}

	@PostMapping
	public Mono<ResponseEntity<ClientView>> create(@RequestBody ClientRequest request, Authentication admin) {
		return this.clients.create(request.toCommand(), admin.getName())
			.map((created) -> ResponseEntity.created(URI.create("/admin/api/clients/" + created.client().id()))
				.body(ClientView.of(created.client(), created.secret())));
	}

	@GetMapping
	public Mono<Page<ClientView>> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size, @RequestParam(required = false) @Nullable String search) {
		return Page.of(this.clients.search(search).map((client) -> ClientView.of(client, null)), page, size);
	}

	@GetMapping("/{id}")
	public Mono<ClientView> get(@PathVariable String id) {
		return this.clients.find(id).map((client) -> ClientView.of(client, null));
	}

	@PatchMapping("/{id}")
	public Mono<ClientView> update(@PathVariable String id, @RequestBody ClientRequest request, Authentication admin) {
		return this.clients.update(id, request.toCommand(), admin.getName()).map((client) -> ClientView.of(client, null));
	}

	/**
	 * Sets a new secret (the one sent, or a generated one) and shows it this once. A public client gets one only when
	 * the request says {@code "confidential": true}, else 409.
	 */
	@PostMapping("/{id}/secret")
	public Mono<ClientView> rotateSecret(@PathVariable String id,
			@RequestBody(required = false) @Nullable SecretRequest body, Authentication admin) {
		SecretRequest request = (body != null) ? body : new SecretRequest(null, null);
		// @formatter:off
		return this.clients.rotateSecret(id, request.secret(), Boolean.TRUE.equals(request.confidential()), admin.getName())
				.map((rotated) -> ClientView.of(rotated.client(), rotated.secret()));
		// @formatter:on
	}

	/** Deletes the client and revokes every token issued to it. */
	@DeleteMapping("/{id}")
	public Mono<ResponseEntity<Void>> delete(@PathVariable String id, Authentication admin) {
		return this.clients.delete(id, admin.getName()).thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
	}

}
