package dev.portcullis.oauth2.client;

import java.time.Duration;

import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.Test;

import static dev.portcullis.fixtures.UnitTestFixtures.client;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link VerifiedSecretCache}.
 */
class VerifiedSecretCacheTests {

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final VerifiedSecretCache cache = new VerifiedSecretCache(Duration.ofMinutes(5), this.clock);

	private final RegisteredClient client = client().secretHash("{bcrypt-sha256}hash-of-secret-1").build();

	@Test
	void isVerifiedWhenNothingRememberedThenFalse() {
		assertThat(this.cache.isVerified(this.client, "secret-1")).isFalse();
	}

	@Test
	void isVerifiedWhenSameSecretRememberedThenTrue() {
		this.cache.rememberVerified(this.client, "secret-1");

		assertThat(this.cache.isVerified(this.client, "secret-1")).isTrue();
	}

	@Test
	void isVerifiedWhenDifferentSecretThenFalse() {
		this.cache.rememberVerified(this.client, "secret-1");

		assertThat(this.cache.isVerified(this.client, "secret-2")).isFalse();
		assertThat(this.cache.isVerified(this.client, "secret-1 ")).isFalse();
		assertThat(this.cache.isVerified(this.client, "")).isFalse();
	}

	@Test
	void isVerifiedWhenOtherClientWithSameHashThenFalse() {
		this.cache.rememberVerified(this.client, "secret-1");

		RegisteredClient other = client().id("client-2").secretHash(this.client.secretHash()).build();
		assertThat(this.cache.isVerified(other, "secret-1")).isFalse();
	}

	@Test
	void isVerifiedWhenTtlPassedThenFalse() {
		this.cache.rememberVerified(this.client, "secret-1");

		this.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
		assertThat(this.cache.isVerified(this.client, "secret-1")).isTrue();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.cache.isVerified(this.client, "secret-1")).isFalse();
	}

	@Test
	void isVerifiedWhenSecretHashChangedThenFalse() {
		this.cache.rememberVerified(this.client, "secret-1");

		RegisteredClient rotated = this.client.withSecretHash("{bcrypt-sha256}hash-of-secret-1-again");
		assertThat(this.cache.isVerified(rotated, "secret-1")).isFalse();
		assertThat(this.cache.isVerified(this.client.withSecretHash(null), "secret-1")).isFalse();
	}

	@Test
	void rememberVerifiedWhenTtlZeroThenNeverRemembered() {
		VerifiedSecretCache disabled = new VerifiedSecretCache(Duration.ZERO, this.clock);

		disabled.rememberVerified(this.client, "secret-1");

		assertThat(disabled.isVerified(this.client, "secret-1")).isFalse();
	}

	@Test
	void rememberVerifiedWhenClientHasNoSecretHashThenNotRemembered() {
		RegisteredClient publicClient = client().publicClient().build();

		this.cache.rememberVerified(publicClient, "anything");

		assertThat(this.cache.isVerified(publicClient, "anything")).isFalse();
	}

	@Test
	void rememberVerifiedWhenRememberedAgainThenLatestSecretWins() {
		this.cache.rememberVerified(this.client, "secret-1");
		this.cache.rememberVerified(this.client, "secret-2");

		assertThat(this.cache.isVerified(this.client, "secret-2")).isTrue();
		assertThat(this.cache.isVerified(this.client, "secret-1")).isFalse();
	}

}
