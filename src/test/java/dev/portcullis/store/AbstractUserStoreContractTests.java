package dev.portcullis.store;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.store.UsernameTakenException;
import java.time.Duration;
import java.util.List;

import dev.portcullis.fixtures.TestUsers;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link UserStore} must have. Subclasses only provide a fresh, empty store.
 */
public abstract class AbstractUserStoreContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private UserStore store;

	/** A new store that holds no user. */
	protected abstract UserStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = createStore();
	}

	/** A change decided on an old reading cannot undo a newer one (a deactivation, a deletion). */
	@Test
	void replaceWhenTheUserChangedOrWentSinceReadThenNothingWritten() {
		User read = TestUsers.user().username("mallory").build();
		User deactivated = new User(read.id(), read.username(), read.passwordHash(), false, read.admin());
		User reset = new User(read.id(), read.username(), "new-hash", true, read.admin());
		this.store.save(read).then(this.store.save(deactivated)).block(TIMEOUT);

		StepVerifier.create(this.store.replace(read, reset)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findById(read.id())).expectNext(deactivated).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.replace(deactivated, reset)).expectNext(reset).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findById(read.id())).expectNext(reset).expectComplete().verify(TIMEOUT);

		this.store.deleteById(read.id()).block(TIMEOUT);
		StepVerifier.create(this.store.replace(reset, deactivated)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findById(read.id())).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("mallory")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void deleteWhenTheUserChangedSinceReadThenKept() {
		User read = TestUsers.user().username("trent").build();
		User promoted = new User(read.id(), read.username(), read.passwordHash(), true, true);
		this.store.save(read).then(this.store.save(promoted)).block(TIMEOUT);

		StepVerifier.create(this.store.delete(read)).expectNext(false).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findById(read.id())).expectNext(promoted).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.delete(promoted)).expectNext(true).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("trent")).expectComplete().verify(TIMEOUT);
	}

	/** Issue 13: RFC 8265 look-alikes are one name to the store, for lookup and for uniqueness. */
	@Test
	void findByUsernameWhenAnySpellingThatMapsToTheNameThenFoundAndTakenForOthers() {
		User jose = TestUsers.user().username("Jose\u0301").build();
		User alice = TestUsers.user().id("user-2").username("alice").build();
		this.store.save(jose).then(this.store.save(alice)).block(TIMEOUT);

		StepVerifier.create(this.store.findByUsername("jos\u00e9")).expectNext(jose).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("\uff21\uff4c\uff49\uff43\uff45")).expectNext(alice)
			.expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.save(TestUsers.user().id("user-3").username("JOS\u00c9").build()))
			.expectError(UsernameTakenException.class).verify(TIMEOUT);
		StepVerifier.create(this.store.save(TestUsers.user().id("user-3").username("\uff41lice").build()))
			.expectError(UsernameTakenException.class).verify(TIMEOUT);
	}

	@Test
	void findByIdWhenSavedThenFound() {
		User user = TestUsers.user().build();

		StepVerifier.create(this.store.save(user)).expectNext(user).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findById(user.id())).expectNext(user).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByIdWhenUnknownThenEmpty() {
		StepVerifier.create(this.store.findById("unknown")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByUsernameWhenOtherCaseThenFound() {
		User user = TestUsers.user().username("Alice").build();
		this.store.save(user).block(TIMEOUT);

		StepVerifier.create(this.store.findByUsername("aLICE")).expectNext(user).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("Alice")).expectNext(user).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByUsernameWhenUnknownThenEmpty() {
		this.store.save(TestUsers.user().build()).block(TIMEOUT);

		StepVerifier.create(this.store.findByUsername("bob")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenSameUserChangedThenReplaced() {
		User user = TestUsers.user().build();
		User deactivated = TestUsers.user().username("ALICE").active(false).build();
		this.store.save(user).block(TIMEOUT);

		StepVerifier.create(this.store.save(deactivated)).expectNext(deactivated).expectComplete().verify(TIMEOUT);

		StepVerifier.create(this.store.findById(user.id())).expectNext(deactivated).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("alice")).expectNext(deactivated).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenUsernameTakenInOtherCaseThenUsernameTakenExceptionAndNothingChanged() {
		User alice = TestUsers.user().build();
		User impostor = TestUsers.user().id("user-2").username("ALICE").build();
		this.store.save(alice).block(TIMEOUT);

		StepVerifier.create(this.store.save(impostor)).expectError(UsernameTakenException.class).verify(TIMEOUT);

		StepVerifier.create(this.store.findById(impostor.id())).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("alice")).expectNext(alice).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenRenamedToTakenUsernameThenUsernameTakenExceptionAndNothingChanged() {
		User alice = TestUsers.user().build();
		User bob = TestUsers.user().id("user-2").username("bob").build();
		this.store.save(alice).then(this.store.save(bob)).block(TIMEOUT);

		StepVerifier.create(this.store.save(TestUsers.user().id("user-2").username("Alice").build()))
			.expectError(UsernameTakenException.class)
			.verify(TIMEOUT);

		StepVerifier.create(this.store.findById(bob.id())).expectNext(bob).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("bob")).expectNext(bob).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("alice")).expectNext(alice).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenRenamedThenOldUsernameFreed() {
		User alice = TestUsers.user().build();
		User renamed = TestUsers.user().username("alicia").build();
		User newcomer = TestUsers.user().id("user-2").username("Alice").build();
		this.store.save(alice).block(TIMEOUT);

		this.store.save(renamed).block(TIMEOUT);

		StepVerifier.create(this.store.findByUsername("alice")).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("alicia")).expectNext(renamed).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.save(newcomer)).expectNext(newcomer).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("alice")).expectNext(newcomer).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findAllWhenSeveralSavedThenEachOnce() {
		User alice = TestUsers.user().build();
		User bob = TestUsers.user().id("user-2").username("bob").build();
		User renamed = TestUsers.user().username("alicia").build();
		this.store.save(alice).then(this.store.save(bob)).then(this.store.save(renamed)).block(TIMEOUT);

		StepVerifier.create(this.store.findAll().collectList())
			.assertNext((users) -> assertThat(users).containsExactlyInAnyOrder(renamed, bob))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findAllWhenNoneThenEmpty() {
		StepVerifier.create(this.store.findAll()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void deleteByIdWhenSavedThenTrueAndGoneAndUsernameFreed() {
		User alice = TestUsers.user().username("Alice").build();
		User bob = TestUsers.user().id("user-2").username("bob").build();
		User newcomer = TestUsers.user().id("user-3").username("ALICE").build();
		this.store.save(alice).then(this.store.save(bob)).block(TIMEOUT);

		StepVerifier.create(this.store.deleteById(alice.id())).expectNext(true).expectComplete().verify(TIMEOUT);

		StepVerifier.create(this.store.findById(alice.id())).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("alice")).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findAll()).expectNext(bob).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.save(newcomer)).expectNext(newcomer).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("alice")).expectNext(newcomer).expectComplete().verify(TIMEOUT);
	}

	@Test
	void deleteByIdWhenDeletedTwiceThenSecondFalse() {
		User alice = TestUsers.user().build();
		this.store.save(alice).block(TIMEOUT);
		this.store.deleteById(alice.id()).block(TIMEOUT);

		StepVerifier.create(this.store.deleteById(alice.id())).expectNext(false).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findAll()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void deleteByIdWhenUnknownThenFalse() {
		StepVerifier.create(this.store.deleteById("unknown")).expectNext(false).expectComplete().verify(TIMEOUT);
	}

	@Test
	void deleteByIdWhenRenamedThenCurrentUsernameFreedAndOldOwnerKept() {
		User alice = TestUsers.user().build();
		User renamed = TestUsers.user().username("alicia").build();
		User newcomer = TestUsers.user().id("user-2").username("alice").build();
		this.store.save(alice).then(this.store.save(renamed)).then(this.store.save(newcomer)).block(TIMEOUT);

		StepVerifier.create(this.store.deleteById(renamed.id())).expectNext(true).expectComplete().verify(TIMEOUT);

		StepVerifier.create(this.store.findByUsername("alicia")).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUsername("alice")).expectNext(newcomer).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenUsersRaceForOneUsernameThenExactlyOneWins() {
		int contenders = 20;

		// @formatter:off
		List<Boolean> saved = Flux.range(0, contenders)
			.flatMap((i) -> this.store.save(TestUsers.user().id("user-" + i).username("Contested").build())
				.map((user) -> true)
				.onErrorResume(UsernameTakenException.class, (ex) -> Mono.just(false))
				.subscribeOn(Schedulers.parallel()), contenders)
			.collectList()
			.block(TIMEOUT);
		// @formatter:on

		assertThat(saved).hasSize(contenders).containsOnlyOnce(true);
		User winner = this.store.findByUsername("contested").block(TIMEOUT);
		assertThat(winner).isNotNull();
		StepVerifier.create(Flux.range(0, contenders).flatMap((i) -> this.store.findById("user-" + i)))
			.expectNext(winner)
			.expectComplete()
			.verify(TIMEOUT);
	}

}
