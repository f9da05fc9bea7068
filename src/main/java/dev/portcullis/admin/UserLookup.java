package dev.portcullis.admin;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import reactor.core.publisher.Mono;

/**
 * Finds the user an administrator names: by id, as links and the API give it, or by username, as people write it.
 * The id wins when both match: a page that holds a user's id (log out everywhere, the token filter) must act on that
 * user, not on another whose username was chosen to read like the id.
 */
public final class UserLookup {

	private final UserStore users;

	public UserLookup(UserStore users) {
		this.users = users;
	}

	/** The user with this username or id; empty if there is none. */
	public Mono<User> find(String usernameOrId) {
		return this.users.findById(usernameOrId).switchIfEmpty(Mono.defer(() -> this.users.findByUsername(usernameOrId)));
	}

}
