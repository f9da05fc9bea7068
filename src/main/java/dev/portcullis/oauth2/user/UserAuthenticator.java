package dev.portcullis.oauth2.user;

import java.util.Optional;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.store.UserStore;
import dev.portcullis.support.PasswordHasher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Checks a resource owner's username and password (the password grant, the login page). Unknown user, wrong
 * password and inactive user all give league's {@code invalid_grant} "The user credentials were incorrect.", in
 * the same time, and never echo what was sent (SuiteCRM answers 500 with the password in clear).
 */
public final class UserAuthenticator {

	private final UserStore users;

	private final PasswordHasher hasher;

	private final Scheduler hashingScheduler;

	public UserAuthenticator(UserStore users, PasswordHasher hasher, Scheduler hashingScheduler) {
		this.users = users;
		this.hasher = hasher;
		this.hashingScheduler = hashingScheduler;
	}

	/**
	 * The active user with these credentials.
	 * @throws OAuth2Exception {@code invalid_grant} when they do not match an active user
	 */
	public Mono<User> authenticate(String username, String password) {
		// @formatter:off
		return this.users.findByUsername(username)
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((user) -> Mono.fromCallable(() -> check(user, password)).subscribeOn(this.hashingScheduler))
				.flatMap(Mono::justOrEmpty)
				.switchIfEmpty(Mono.error(OAuth2Exception::invalidCredentials));
		// @formatter:on
	}

	/** One slow hash whatever is wrong, so the answer takes as long for an unknown user as for a wrong password. */
	private Optional<User> check(Optional<User> user, String password) {
		if (user.isEmpty()) {
			this.hasher.matchesNothing(password);
			return Optional.empty();
		}
		boolean matches = this.hasher.matches(password, user.get().passwordHash());
		return (matches && user.get().active()) ? user : Optional.empty();
	}

}
