package dev.portcullis.oauth2.user;

import java.time.Duration;

import dev.portcullis.fixtures.DelegatingUserStore;
import dev.portcullis.fixtures.SuiteCrmDatabase;
import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.MutableClock;
import dev.portcullis.support.PasswordHasher;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static dev.portcullis.fixtures.UnitTestFixtures.HASHER;
import static dev.portcullis.fixtures.UnitTestFixtures.oauth2Error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UserAuthenticator} with users imported from SuiteCRM (issue 15): their hashes are checked as
 * SuiteCRM checks them, as slowly as any other, and replaced by Portcullis's own at the first successful sign-in;
 * and with Argon2id configured (issue 16), where bcrypt hashes are replaced the same way.
 */
class UserAuthenticatorTests {

	private static final PasswordHasher ARGON2 = new PasswordHasher(4, PasswordHasher.Algorithm.ARGON2ID);

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final InMemoryUserStore users = new InMemoryUserStore();

	/** On threads that may block, as the gateway's hashing pool: a rehash draws a salt from SecureRandom. */
	private final UserAuthenticator authenticator = new UserAuthenticator(this.users, HASHER,
			UnitTestFixtures.hashing(Schedulers.boundedElastic()), UnitTestFixtures.guard(this.clock));

	@Test
	void authenticateWhenSuiteCrmMd5BcryptAndRightPasswordThenUserAndTheHashReplacedByPortcullissOwn() {
		User imported = save(imported("user-1", "alice", md5Bcrypt("Pässwort-1")));

		StepVerifier.create(this.authenticator.authenticate("ALICE", "Pässwort-1")).expectNext(imported).verifyComplete();

		User stored = this.users.findById("user-1").block();
		assertThat(stored.passwordHash()).startsWith("{bcrypt-sha256}");
		assertThat(stored).isEqualTo(new User(imported.id(), imported.username(), stored.passwordHash(), true, false));
		StepVerifier.create(this.authenticator.authenticate("alice", "Pässwort-1")).expectNext(stored).verifyComplete();
	}

	@Test
	void authenticateWhenSuiteCrmBareMd5AndRightPasswordThenUserAndTheHashReplaced() {
		save(imported("user-1", "alice", md5("password-1")));

		StepVerifier.create(this.authenticator.authenticate("alice", "password-1"))
			.expectNextMatches((user) -> user.id().equals("user-1"))
			.verifyComplete();

		assertThat(this.users.findById("user-1").block().passwordHash()).startsWith("{bcrypt-sha256}");
	}

	@Test
	void authenticateWhenSuiteCrmHashAndWrongPasswordOrItsMd5ThenInvalidGrantAndHashKept() {
		User alice = save(imported("user-1", "alice", md5Bcrypt("password-1")));
		User bob = save(imported("user-2", "bob", md5("password-2")));

		for (String[] attempt : new String[][] { { "alice", "password-2" },
				{ "alice", SuiteCrmDatabase.md5Hex("password-1") }, { "bob", "PASSWORD-2" },
				{ "bob", SuiteCrmDatabase.md5Hex("password-2") }, { "bob", "" } }) {
			StepVerifier.create(this.authenticator.authenticate(attempt[0], attempt[1]))
				.expectErrorSatisfies(UserAuthenticatorTests::assertInvalidCredentials)
				.verify();
		}
		assertThat(this.users.findById("user-1").block()).isEqualTo(alice);
		assertThat(this.users.findById("user-2").block()).isEqualTo(bob);
	}

	/** An imported user with an empty hash signs in with nothing, as in SuiteCRM. */
	@Test
	void authenticateWhenSuiteCrmHashIsEmptyThenInvalidGrantWhateverWasTyped() {
		save(imported("user-1", "alice", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, "")));

		for (String password : new String[] { "", "x", SuiteCrmDatabase.md5Hex("") }) {
			StepVerifier.create(this.authenticator.authenticate("alice", password))
				.expectErrorSatisfies(UserAuthenticatorTests::assertInvalidCredentials)
				.verify();
		}
	}

	/**
	 * The timing attack: a SuiteCRM hash may check faster than Portcullis's own (a cost of 4 here); the answer, right
	 * or wrong, waits for an imitated check of Portcullis's own scheme (the seeded 300 ms, in virtual time: the
	 * assertion is on the mechanism, not a clock).
	 */
	@Test
	void authenticateWhenSuiteCrmHashThenTheAnswerWaitsAsLongAsACheckOfPortcullissOwnHash() {
		save(imported("user-1", "alice", md5("password-1")));
		HashingPool pool = new HashingPool(Schedulers.immediate(), 2, 32);
		pool.seed(PasswordHasher.SCHEME, Duration.ofMillis(300));
		UserAuthenticator timed = new UserAuthenticator(this.users, HASHER, pool, UnitTestFixtures.guard(this.clock));

		StepVerifier.withVirtualTime(() -> timed.authenticate("alice", "wrong"))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(299))
			.thenAwait(Duration.ofMillis(1))
			.expectErrorSatisfies(UserAuthenticatorTests::assertInvalidCredentials)
			.verify(Duration.ofSeconds(5));
		StepVerifier.withVirtualTime(() -> timed.authenticate("alice", "password-1"))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(299))
			.thenAwait(Duration.ofMillis(1))
			.expectNextMatches((user) -> user.id().equals("user-1"))
			.verifyComplete();
	}

	/** A rehash decided on the user as read cannot undo a deactivation made meanwhile. */
	@Test
	void authenticateWhenTheUserWasDeactivatedDuringTheCheckThenTheDeactivationIsKept() {
		User read = imported("user-1", "alice", md5("password-1"));
		User deactivated = new User(read.id(), read.username(), read.passwordHash(), false, false);
		save(deactivated);
		UserAuthenticator racing = new UserAuthenticator(new DelegatingUserStore(this.users) {
			@Override
			public Mono<User> findByUsername(String username) {
				return Mono.just(read);
			}
		}, HASHER, UnitTestFixtures.hashing(Schedulers.boundedElastic()), UnitTestFixtures.guard(this.clock));

		StepVerifier.create(racing.authenticate("alice", "password-1")).expectNext(read).verifyComplete();

		assertThat(this.users.findById("user-1").block()).isEqualTo(deactivated);
	}

	/** Issue 16: a bcrypt hash, once Argon2id is configured, is replaced at the next successful sign-in. */
	@Test
	void authenticateWhenArgon2idConfiguredAndBcryptHashThenUserAndTheHashReplacedByArgon2id() {
		User bcrypt = save(imported("user-1", "alice", HASHER.hash("password-1")));

		StepVerifier.create(argon2Authenticator().authenticate("alice", "password-1")).expectNext(bcrypt).verifyComplete();

		User stored = this.users.findById("user-1").block();
		assertThat(stored.passwordHash()).startsWith("{argon2}$argon2id$v=19$m=7168,t=5,p=1$");
		assertThat(stored).isEqualTo(new User(bcrypt.id(), bcrypt.username(), stored.passwordHash(), true, false));
		StepVerifier.create(argon2Authenticator().authenticate("alice", "password-1")).expectNext(stored).verifyComplete();
		assertThat(this.users.findById("user-1").block()).as("its own hash is kept").isEqualTo(stored);
	}

	/** And the other way: a gateway set back to bcrypt replaces Argon2id hashes as their users sign in. */
	@Test
	void authenticateWhenBcryptConfiguredAndArgon2idHashThenTheHashReplacedByBcrypt() {
		save(imported("user-1", "alice", ARGON2.hash("password-1")));

		StepVerifier.create(this.authenticator.authenticate("alice", "password-1"))
			.expectNextMatches((user) -> user.id().equals("user-1"))
			.verifyComplete();

		assertThat(this.users.findById("user-1").block().passwordHash()).startsWith("{bcrypt-sha256}$2a$04$");
	}

	@Test
	void authenticateWhenArgon2idConfiguredAndWrongPasswordThenInvalidGrantAndBcryptHashKept() {
		User bcrypt = save(imported("user-1", "alice", HASHER.hash("password-1")));

		for (String password : new String[] { "password-2", "" }) {
			StepVerifier.create(argon2Authenticator().authenticate("alice", password))
				.expectErrorSatisfies(UserAuthenticatorTests::assertInvalidCredentials)
				.verify();
		}
		assertThat(this.users.findById("user-1").block()).isEqualTo(bcrypt);
	}

	/**
	 * The timing rule under Argon2id: an unknown user waits as long as an Argon2id check (seeded 300 ms; bcrypt's
	 * 1 ms), and so does a user whose bcrypt hash checks faster (virtual time: the mechanism, not a clock).
	 */
	@Test
	void authenticateWhenArgon2idConfiguredThenUnknownUsersAndFasterOldHashesWaitAsLongAsAnArgon2idCheck() {
		save(imported("user-1", "alice", HASHER.hash("password-1")));
		HashingPool pool = new HashingPool(Schedulers.immediate(), 2, 32);
		pool.seed(PasswordHasher.SCHEME, Duration.ofMillis(1));
		pool.seed(PasswordHasher.ARGON2, Duration.ofMillis(300));
		UserAuthenticator timed = new UserAuthenticator(this.users, ARGON2, pool, UnitTestFixtures.guard(this.clock));

		for (String username : new String[] { "nobody", "alice" }) {
			StepVerifier.withVirtualTime(() -> timed.authenticate(username, "wrong"))
				.expectSubscription()
				.expectNoEvent(Duration.ofMillis(299))
				.thenAwait(Duration.ofMillis(1))
				.expectErrorSatisfies(UserAuthenticatorTests::assertInvalidCredentials)
				.verify(Duration.ofSeconds(5));
		}
	}

	/** The upgrade to Argon2id, decided on the user as read, cannot undo a deactivation made meanwhile. */
	@Test
	void authenticateWhenArgon2idConfiguredAndTheUserWasDeactivatedDuringTheCheckThenTheDeactivationIsKept() {
		User read = imported("user-1", "alice", HASHER.hash("password-1"));
		User deactivated = new User(read.id(), read.username(), read.passwordHash(), false, false);
		save(deactivated);
		UserAuthenticator racing = new UserAuthenticator(new DelegatingUserStore(this.users) {
			@Override
			public Mono<User> findByUsername(String username) {
				return Mono.just(read);
			}
		}, ARGON2, UnitTestFixtures.hashing(Schedulers.boundedElastic()), UnitTestFixtures.guard(this.clock));

		StepVerifier.create(racing.authenticate("alice", "password-1")).expectNext(read).verifyComplete();

		assertThat(this.users.findById("user-1").block()).isEqualTo(deactivated);
	}

	/**
	 * Review: a refused sign-in (a deactivated user, or a non-administrator at admin Basic) with the right password
	 * must not rehash: the rehash (an Argon2id hash and a store write) makes the right password's answer slower than a
	 * wrong one's, once per account, which confirms a guessed password of an account that cannot sign in.
	 */
	@Test
	void authenticateWhenTheSignInIsRefusedThenTheRightPasswordDoesNotRehash() {
		User deactivated = save(new User("user-1", "alice", HASHER.hash("password-1"), false, false));
		User notAdmin = save(imported("user-2", "bob", HASHER.hash("password-2")));

		StepVerifier.create(argon2Authenticator().authenticate("alice", "password-1"))
			.expectErrorSatisfies(UserAuthenticatorTests::assertInvalidCredentials)
			.verify();
		StepVerifier.create(argon2Authenticator().authenticateAdministrator("bob", "password-2"))
			.expectErrorSatisfies(UserAuthenticatorTests::assertInvalidCredentials)
			.verify();

		assertThat(this.users.findById("user-1").block()).isEqualTo(deactivated);
		assertThat(this.users.findById("user-2").block()).isEqualTo(notAdmin);
	}

	private UserAuthenticator argon2Authenticator() {
		return new UserAuthenticator(this.users, ARGON2, UnitTestFixtures.hashing(Schedulers.boundedElastic()),
				UnitTestFixtures.guard(this.clock));
	}

	private static User imported(String id, String username, String hash) {
		return new User(id, username, hash, true, false);
	}

	private static String md5Bcrypt(String password) {
		return PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, SuiteCrmDatabase.passwordHash(password));
	}

	/** A bare {@code md5($password)} as the import keeps it. */
	private static String md5(String password) {
		return HASHER.hashSuiteCrmMd5(SuiteCrmDatabase.md5Hex(password));
	}

	private User save(User user) {
		return this.users.save(user).block();
	}

	private static void assertInvalidCredentials(Throwable ex) {
		OAuth2Error error = oauth2Error(ex);
		assertThat(error.code()).isEqualTo("invalid_grant");
		assertThat(error.httpStatus()).isEqualTo(400);
	}

}
