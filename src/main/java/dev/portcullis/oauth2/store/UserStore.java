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

	/**
	 * Replaces {@code expected} by {@code changed} (the same id) only while the stored user is still {@code expected}:
	 * emits {@code changed}, or empty, writing nothing, when the user changed or was deleted since the caller read it,
	 * so that a change decided on an old reading (a password reset that was hashing meanwhile) cannot undo a newer
	 * one (the user's deactivation or deletion). Fails with {@link UsernameTakenException} as {@link #save} does.
	 */
	Mono<User> replace(User expected, User changed);

	/** Deletes the user only while the stored user is still {@code expected}; emits whether it was deleted. */
	Mono<Boolean> delete(User expected);

	/** Every user, in no particular order (administration: users are few). */
	Flux<User> findAll();

	/** Removes the user and frees the username; emits whether there was one. */
	Mono<Boolean> deleteById(String id);

}
