package dev.portcullis.oauth2.store;

import dev.portcullis.oauth2.user.User;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where users live. Usernames are unique when compared case-insensitively ({@link User#normalize(String)}).
 */
public interface UserStore {

	/** The user with this id, or empty. */
	Mono<User> findById(String id);

	/** The user with this username, matched case-insensitively, or empty. */
	Mono<User> findByUsername(String username);

	/**
	 * Creates or replaces the user with the same id. Fails with {@link UsernameTakenException} and changes nothing
	 * when another user already has the username; renaming a user frees the old username.
	 */
	Mono<User> save(User user);

	/** Every user, in no particular order (administration: users are few). */
	Flux<User> findAll();

	/** Removes the user and frees the username; emits whether there was one. */
	Mono<Boolean> deleteById(String id);

}
