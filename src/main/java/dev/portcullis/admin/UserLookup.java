package dev.portcullis.admin;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import reactor.core.publisher.Mono;

/**
 * Finds the user an administrator names: by username, as people write it, or by id, as links and the API give it.
 * The username wins when both match (ids are generated UUIDs, so only a username chosen to look like one could).
 */
public final class UserLookup {

	private final UserStore users;

	public UserLookup(UserStore users) {
		this.users = users;
	}

	/** The user with this username or id; empty if there is none. */
	public Mono<User> find(String usernameOrId) {
		return this.users.findByUsername(usernameOrId).switchIfEmpty(Mono.defer(() -> this.users.findById(usernameOrId)));
	}

}
