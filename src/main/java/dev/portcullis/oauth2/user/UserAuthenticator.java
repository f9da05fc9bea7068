package dev.portcullis.oauth2.user;

import java.util.Optional;
import java.util.function.Predicate;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.guard.GuessingGuard;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.LogSafe;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.SingleFlight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Checks a resource owner's username and password (the password grant, the login page, admin Basic). Unknown user,
 * wrong password and inactive user all give league's {@code invalid_grant} "The user credentials were incorrect.",
 * in the same time (an unknown user waits as long as a check of the slowest hash the store holds takes, without
 * spending a hash: {@link HashingPool#imitate(PasswordHasher)}), and never echo
 * what was sent (SuiteCRM answers 500 with the password in clear). Every username, known or not, is under the same
 * guessing limits ({@link GuessingGuard}). Concurrent requests with the same username and password share one check.
 *
 * <p>A password hash imported from SuiteCRM ({@link PasswordHasher#isLegacy}) is checked as SuiteCRM checks it, in as
 * long as any other check ({@link HashingPool#matches}), and replaced by Portcullis's own hash once it matched. So is
 * any hash that is not of the configured scheme, or of weaker parameters ({@link PasswordHasher#needsUpgrade}): a
 * bcrypt hash once Argon2id is configured, and the other way round.
 */
public final class UserAuthenticator {

	private static final Logger logger = LoggerFactory.getLogger(UserAuthenticator.class);

	private final UserStore users;

	private final PasswordHasher hasher;

	private final HashingPool hashing;

	private final GuessingGuard guard;

	/** Checks in flight by username and password, shared by concurrent identical requests. */
	private final SingleFlight<Boolean> inFlight = new SingleFlight<>();

	public UserAuthenticator(UserStore users, PasswordHasher hasher, HashingPool hashing, GuessingGuard guard) {
		this.users = users;
		this.hasher = hasher;
		this.hashing = hashing;
		this.guard = guard;
	}

	/**
	 * The active user with these credentials.
	 * @throws OAuth2Exception {@code invalid_grant} when they do not match an active user, {@code too_many_attempts}
	 * (429) when the guessing limits refuse the attempt, {@code temporarily_unavailable} (503) when too many checks
	 * are waiting
	 */
	public Mono<User> authenticate(String username, String password) {
		return authenticate(username, password, false);
	}

	/**
	 * The active administrator with these credentials (admin Basic). Any other user counts as a failed attempt,
	 * exactly as a wrong password: the guessing limits' answer to the next attempt must not tell a right password
	 * from a wrong one either.
	 * @throws OAuth2Exception as {@link #authenticate(String, String)}
	 */
	public Mono<User> authenticateAdministrator(String username, String password) {
		return authenticate(username, password, true);
	}

	private Mono<User> authenticate(String username, String password, boolean administratorsOnly) {
		Predicate<User> accepted = administratorsOnly ? User::admin : (user) -> true;
		// a guesser this replica knows to be blocked is refused before anything is looked up
		// @formatter:off
		return this.guard.unlessKnownBlocked("user:" + User.normalize(username), this.users.findByUsername(username))
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((user) -> this.inFlight.run((administratorsOnly ? "admin\u0000" : "") + User.normalize(username) + '\u0000' + password,
								() -> this.guard.check("user:" + User.normalize(username), () -> check(user, password, accepted)))
						.filter(Boolean::booleanValue)
						.map((matched) -> user.get()))
				.switchIfEmpty(Mono.error(OAuth2Exception::invalidCredentials));
		// @formatter:on
	}

	private Mono<Boolean> check(Optional<User> user, String password, Predicate<User> accepted) {
		if (user.isEmpty()) {
			return this.hashing.imitate(this.hasher);
		}
		// @formatter:off
		return this.hashing.matches(this.hasher, password, user.get().passwordHash())
			.map((matches) -> matches && user.get().active() && accepted.test(user.get()))
			// only an accepted sign-in rehashes: a refused one's right password would answer slower than a wrong one
			.flatMap((signedIn) -> signedIn ? rehashed(user.get(), password).thenReturn(true) : Mono.just(false));
		// @formatter:on
	}

	/**
	 * After an accepted sign-in: SuiteCRM's imported hash, or one of another scheme or weaker parameters, replaced by
	 * one of the configured scheme, unless the user changed meanwhile (the administrator's change wins; the next
	 * sign-in tries again). A failed upgrade costs the user nothing but the upgrade.
	 */
	private Mono<User> rehashed(User user, String password) {
		if (!this.hasher.needsUpgrade(user.passwordHash())) {
			return Mono.just(user);
		}
		String from = String.valueOf(PasswordHasher.scheme(user.passwordHash()));
		// @formatter:off
		return this.hashing.run(this.hasher.scheme(), () -> this.hasher.hash(password))
				.flatMap((hash) -> this.users.replace(user, new User(user.id(), user.username(), hash, user.active(), user.admin())))
				.doOnNext((stored) -> logger.info("User {}: their {} password hash is now {}", LogSafe.clean(stored.id()), from, this.hasher.scheme()))
				.defaultIfEmpty(user)
				.onErrorResume((ex) -> {
					logger.warn("User {}: their {} password hash could not be replaced now ({}); the next sign-in tries again",
							LogSafe.clean(user.id()), from, ex.toString());
					return Mono.just(user);
				});
		// @formatter:on
	}

}
