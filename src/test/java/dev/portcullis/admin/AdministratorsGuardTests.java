package dev.portcullis.admin;

import java.time.Duration;

import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Tests for {@link AdministratorsGuard}.
 */
class AdministratorsGuardTests {

	private final InMemoryUserStore users = new InMemoryUserStore();

	private final AdministratorsGuard guard = new AdministratorsGuard(this.users);

	private final User lastAdmin = save(new User("u-root", "root", "hash", true, true));

	@Test
	void checkChangeWhenAnAutomationClientDemotesDeactivatesOrDeletesTheLastAdministratorThenRefused() {
		// a client acting as itself (its id is the actor) may administer, but not end all administration
		refused(this.guard.checkChange("automation-client", this.lastAdmin, demoted(this.lastAdmin)),
				"'root' is the last active administrator: make another user one first.");
		refused(this.guard.checkChange("automation-client", this.lastAdmin, deactivated(this.lastAdmin)),
				"'root' is the last active administrator: make another user one first.");
		refused(this.guard.checkChange("automation-client", this.lastAdmin, null),
				"'root' is the last active administrator: make another user one first.");
	}

	@Test
	void checkChangeWhenOnlyAnInactiveOtherAdministratorThenStillTheLast() {
		save(new User("u-old", "old-admin", "hash", false, true));

		refused(this.guard.checkChange("automation-client", this.lastAdmin, null),
				"'root' is the last active administrator: make another user one first.");
	}

	@Test
	void checkChangeWhenAnotherActiveAdministratorThenAllowedButNeverOnOneself() {
		User other = save(new User("u-ops", "ops", "hash", true, true));

		StepVerifier.create(this.guard.checkChange(other.id(), this.lastAdmin, demoted(this.lastAdmin)))
			.verifyComplete();
		refused(this.guard.checkChange(other.id(), other, demoted(other)),
				"You cannot deactivate yourself or take away your own administration.");
		refused(this.guard.checkChange(other.id(), other, null), "You cannot delete yourself.");
	}

	@Test
	void checkChangeWhenNoAdministrationIsTakenThenAllowedWithoutALookup() {
		User plain = save(new User("u-plain", "plain", "hash", true, false));

		StepVerifier.create(this.guard.checkChange(plain.id(), plain, null)).verifyComplete();
		StepVerifier.create(this.guard.checkChange("automation-client", this.lastAdmin,
				new User("u-root", "root-renamed", "hash", true, true)))
			.verifyComplete();
	}

	private User save(User user) {
		return this.users.save(user).block(Duration.ofSeconds(1));
	}

	private static User demoted(User user) {
		return new User(user.id(), user.username(), user.passwordHash(), user.active(), false);
	}

	private static User deactivated(User user) {
		return new User(user.id(), user.username(), user.passwordHash(), false, user.admin());
	}

	private static void refused(reactor.core.publisher.Mono<Void> check, String reason) {
		StepVerifier.create(check)
			.expectErrorSatisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex)
				.isInstanceOf(AdministrationRefusedException.class)
				.hasMessage(reason))
			.verify();
	}

}
