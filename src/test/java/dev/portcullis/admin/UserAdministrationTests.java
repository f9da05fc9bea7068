package dev.portcullis.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.portcullis.admin.ClientAdministration.ClientCommand;
import dev.portcullis.admin.UserAdministration.UpdatedUser;
import dev.portcullis.admin.UserAdministration.UserCommand;
import dev.portcullis.admin.UserAdministration.UserWithPassword;
import dev.portcullis.fixtures.DelegatingUserStore;
import dev.portcullis.fixtures.TestAdministration;
import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.PasswordHasher;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link UserAdministration} over the in-memory stores.
 */
class UserAdministrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final InMemoryUserStore store = new InMemoryUserStore();

	private final TestAdministration administration = TestAdministration.over(new InMemoryClientStore(), this.store);

	private final UserAdministration users = this.administration.users();

	/**
	 * The attack: an administrator whose account is being taken away resets their own password; another administrator
	 * deactivates them while the reset is under way. The reset must not write the account back as active.
	 */
	@Test
	void updateWhenTheUserIsDeactivatedWhileAPasswordResetIsUnderWayThenTheResetIsRefusedAndTheUserStaysInactive() {
		User mallory = this.users.create(new UserCommand("mallory", "mallory-password", true, true), "admin-1")
			.block(WAIT)
			.user();
		this.users.create(new UserCommand("trent", "trent-password", true, true), "admin-1").block(WAIT);
		UserStore racing = new DeactivatedAfterTheFirstRead(this.store, mallory.id());
		UserAdministration resetting = TestAdministration.over(new InMemoryClientStore(), racing).users();

		assertThatExceptionOfType(AdministrationRefusedException.class)
			.isThrownBy(() -> resetting.update(mallory.id(), new UserCommand(null, "taken-over-password", null, null),
					mallory.id()).block(WAIT))
			.withMessageContaining("changed by someone else meanwhile");
		User stored = this.store.findById(mallory.id()).block(WAIT);
		assertThat(stored.active()).isFalse();
		assertThat(new PasswordHasher(4).matches("taken-over-password", stored.passwordHash())).isFalse();
	}

	@Test
	void createWhenNoPasswordThenOneGeneratedAndOnlyItsHashKept() {
		UserWithPassword created = this.users.create(new UserCommand("frank", null, null, null), "admin-1").block(WAIT);

		assertThat(created.generatedPassword()).matches("[0-9a-f]{24}");
		assertThat(new PasswordHasher(4).matches(created.generatedPassword(), created.user().passwordHash())).isTrue();
		assertThat(created.user().active()).isTrue();
		assertThat(created.user().admin()).isFalse();
	}

	@Test
	void updateWhenDeactivatedThenTokensRevokedAndActingClientsNamed() {
		User frank = this.users.create(new UserCommand("frank", "frank-password", true, false), "admin-1")
			.block(WAIT)
			.user();
		this.administration.clients()
			.create(new ClientCommand("Sync", List.of("client_credentials"), null, true, "frank", null, null, null,
					null), "admin-1")
			.block(WAIT);
		Authorization live = TestAuthorizations.authorization(Instant.now()).userId(frank.id()).build();
		this.administration.authorizations().save(live).block(WAIT);

		UpdatedUser updated = this.users.update(frank.id(), new UserCommand(null, null, false, null), "admin-1")
			.block(WAIT);

		assertThat(updated.clientsNowFailing()).containsExactly("Sync");
		assertThat(this.administration.authorizations().findById(live.id()).block(WAIT)).isNull();
		assertThat(this.administration.audit().recent(0, 1).blockFirst(WAIT).detail())
			.isEqualTo("Updated user 'frank': deactivated");
	}

	@Test
	void updateWhenAdministratorDemotesThemselvesThenRefused() {
		User admin = this.users.create(new UserCommand("root", "root-password", true, true), "bootstrap")
			.block(WAIT)
			.user();

		StepVerifier.create(this.users.update(admin.id(), new UserCommand(null, null, null, false), admin.id()))
			.expectError(AdministrationRefusedException.class)
			.verify(WAIT);
		assertThat(this.store.findById(admin.id()).block(WAIT).admin()).isTrue();
	}

	@Test
	void configureWhenSamePasswordAgainThenHashKept() {
		assertThat(this.users.configure("u-1", "demo", "demo-password", true, false).block(WAIT)).isTrue();
		String hash = this.store.findById("u-1").block(WAIT).passwordHash();

		assertThat(this.users.configure("u-1", "demo", "demo-password", true, true).block(WAIT)).isFalse();

		User user = this.store.findById("u-1").block(WAIT);
		assertThat(user.passwordHash()).isEqualTo(hash);
		assertThat(user.admin()).isTrue();
	}

	/** The user store as another administrator's deactivation, landing just after the first read of one user. */
	private static final class DeactivatedAfterTheFirstRead extends DelegatingUserStore {

		private final String userId;

		private final AtomicBoolean first = new AtomicBoolean(true);

		DeactivatedAfterTheFirstRead(UserStore store, String userId) {
			super(store);
			this.userId = userId;
		}

		@Override
		public Mono<User> findById(String id) {
			return this.store.findById(id).flatMap((user) -> (id.equals(this.userId) && this.first.getAndSet(false))
					? this.store.save(new User(user.id(), user.username(), user.passwordHash(), false, user.admin()))
						.thenReturn(user)
					: Mono.just(user));
		}

	}

}
