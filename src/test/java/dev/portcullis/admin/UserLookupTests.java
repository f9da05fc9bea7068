package dev.portcullis.admin;

import java.time.Duration;
import java.util.UUID;

import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UserLookup}: what an administrator's reference to a user finds.
 */
class UserLookupTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final InMemoryUserStore users = new InMemoryUserStore();

	private final UserLookup lookup = new UserLookup(this.users);

	/**
	 * The attack: a decoy registered under the victim's id as its username, so that "log out everywhere" on the
	 * victim's page (which passes the id) would end the decoy's tokens and leave the stolen ones live.
	 */
	@Test
	void findWhenAUsernameReadsLikeAnotherUsersIdThenTheIdWins() {
		User victim = save(new User(UUID.randomUUID().toString(), "victim", "hash", true, false));
		User decoy = save(new User(UUID.randomUUID().toString(), victim.id(), "hash", true, false));

		assertThat(this.lookup.find(victim.id()).block(WAIT)).isEqualTo(victim);
		assertThat(this.lookup.find("victim").block(WAIT)).isEqualTo(victim);
		assertThat(this.lookup.find(decoy.id()).block(WAIT)).isEqualTo(decoy);
		assertThat(this.lookup.find("nobody").blockOptional(WAIT)).isEmpty();
	}

	private User save(User user) {
		return this.users.save(user).block(WAIT);
	}

}
