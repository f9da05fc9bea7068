package dev.portcullis.config;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.portcullis.fixtures.DelegatingUserStore;
import dev.portcullis.fixtures.TestAdministration;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link BootstrapRunner}: replicas of a new installation start together on one empty store.
 */
class BootstrapRunnerTests {

	private final PasswordHasher hasher = new PasswordHasher(4);

	@Test
	void firstAdminWhenAnotherReplicaCreatesItAtTheSameMomentThenStartsAndLeavesNoStalePasswordFile(
			@TempDir Path directory) {
		InMemoryUserStore stored = new InMemoryUserStore();
		User theirs = new User(UUID.randomUUID().toString(), "admin", this.hasher.hash("their-password"), true, true);
		stored.save(theirs).block();
		PortcullisProperties properties = new PortcullisProperties();
		Path passwordFile = directory.resolve("first-admin");
		properties.getBootstrap().getFirstAdmin().setPasswordFile(passwordFile);
		TestAdministration administration = TestAdministration.over(new InMemoryClientStore(),
				new LookedBeforeTheOtherReplicaSaved(stored));
		BootstrapRunner runner = new BootstrapRunner(properties, administration.clients(), administration.users());

		assertThatNoException().isThrownBy(runner::afterSingletonsInstantiated);
		assertThat(stored.findAll().collectList().block()).containsExactly(theirs);
		assertThat(passwordFile).as("its password belongs to no administrator").doesNotExist();
	}

	/** A store whose reads predate the other replica's save until this replica writes: the race's window. */
	private static final class LookedBeforeTheOtherReplicaSaved extends DelegatingUserStore {

		private final AtomicBoolean stale = new AtomicBoolean(true);

		LookedBeforeTheOtherReplicaSaved(UserStore store) {
			super(store);
		}

		@Override
		public Mono<User> findById(String id) {
			return this.stale.get() ? Mono.empty() : this.store.findById(id);
		}

		@Override
		public Mono<User> findByUsername(String username) {
			return this.stale.get() ? Mono.empty() : this.store.findByUsername(username);
		}

		@Override
		public Mono<User> save(User user) {
			return Mono.defer(() -> {
				this.stale.set(false);
				return this.store.save(user);
			});
		}

		@Override
		public Flux<User> findAll() {
			return Flux.defer(() -> this.stale.get() ? Flux.empty() : this.store.findAll());
		}

	}

}
