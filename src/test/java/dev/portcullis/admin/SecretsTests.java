package dev.portcullis.admin;

import java.time.Duration;

import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.PasswordHasher;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Secrets} with user passwords under Argon2id (issue 16): client secrets stay bcrypt, and a password
 * configured again (bootstrap) replaces a matching hash of the other scheme once.
 */
class SecretsTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final PasswordHasher BCRYPT = new PasswordHasher(4);

	private final Secrets secrets = new Secrets(BCRYPT, new PasswordHasher(4, PasswordHasher.Algorithm.ARGON2ID),
			UnitTestFixtures.hashing(Schedulers.boundedElastic()));

	@Test
	void hashWhenArgon2idForPasswordsThenPasswordsArgon2idAndClientSecretsBcrypt() {
		assertThat(this.secrets.hashPassword("user-password-1").block(WAIT)).startsWith("{argon2}$argon2id$");
		assertThat(this.secrets.hash("client-secret-1").block(WAIT)).startsWith("{bcrypt-sha256}$2a$04$");
	}

	@Test
	void rehashPasswordIfChangedWhenABcryptHashStillMatchesThenArgon2idOnceAndThenKept() {
		String bcrypt = BCRYPT.hash("user-password-1");

		String upgraded = this.secrets.rehashPasswordIfChanged("user-password-1", bcrypt).block(WAIT);

		assertThat(upgraded).startsWith("{argon2}$argon2id$");
		assertThat(this.secrets.rehashPasswordIfChanged("user-password-1", upgraded).block(WAIT)).isEqualTo(upgraded);
		assertThat(this.secrets.rehashPasswordIfChanged("user-password-2", upgraded).block(WAIT))
			.isNotEqualTo(upgraded)
			.startsWith("{argon2}$argon2id$");
	}

	@Test
	void rehashIfChangedWhenAClientSecretStillMatchesThenItsBcryptHashKept() {
		String bcrypt = BCRYPT.hash("client-secret-1");

		assertThat(this.secrets.rehashIfChanged("client-secret-1", bcrypt).block(WAIT)).isEqualTo(bcrypt);
	}

}
