package dev.portcullis.web.admin;

import java.net.URI;
import java.util.List;

import dev.portcullis.admin.UserAdministration;
import dev.portcullis.admin.UserAdministration.UserCommand;
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
 * {@code /admin/api/users}: create, reset the password, deactivate (which revokes the user's tokens), delete (the
 * same), and mark as administrator, over {@link UserAdministration}. A generated password is shown once.
 */
@RestController
@RequestMapping("/admin/api/users")
public class UserAdminController {

	private final UserAdministration users;

	public UserAdminController(UserAdministration users) {
		this.users = users;
	}

	/** What an administrator sends; every field optional on PATCH. */
	public record UserRequest(@Nullable String username, @Nullable String password, @Nullable Boolean active,
			@Nullable Boolean admin) {

		UserCommand toCommand() {
			return new UserCommand(this.username, this.password, this.active, this.admin);
		}

	}

	@PostMapping
	public Mono<ResponseEntity<UserView>> create(@RequestBody UserRequest request, Authentication admin) {
		return this.users.create(request.toCommand(), admin.getName())
			.map((created) -> ResponseEntity.created(URI.create("/admin/api/users/" + created.user().id()))
				.body(UserView.of(created.user(), created.generatedPassword(), List.of())));
	}

	@GetMapping
	public Mono<Page<UserView>> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size, @RequestParam(required = false) @Nullable String search) {
		return Page.of(this.users.search(search).map(UserView::of), page, size);
	}

	@GetMapping("/{id}")
	public Mono<UserView> get(@PathVariable String id) {
		return this.users.find(id).map(UserView::of);
	}

	@PatchMapping("/{id}")
	public Mono<UserView> update(@PathVariable String id, @RequestBody UserRequest request, Authentication admin) {
		return this.users.update(id, request.toCommand(), admin.getName())
			.map((updated) -> UserView.of(updated.user(), null, updated.clientsNowFailing()));
	}

	@DeleteMapping("/{id}")
	public Mono<ResponseEntity<Void>> delete(@PathVariable String id, Authentication admin) {
		return this.users.delete(id, admin.getName()).thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
	}

}
