package dev.portcullis.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PasswordHasher}.
 */
class PasswordHasherTests {

	private final PasswordHasher hasher = new PasswordHasher(4);

	@Test
	void hashWhenSecretThenPrefixedBcryptThatMatchesIt() {
		String hash = this.hasher.hash("s3cret");

		assertThat(hash).startsWith("{bcrypt-sha256}$2a$04$");
		assertThat(this.hasher.matches("s3cret", hash)).isTrue();
	}

	@Test
	void matchesWhenOtherSecretThenFalse() {
		String hash = this.hasher.hash("s3cret");

		assertThat(this.hasher.matches("s3cret ", hash)).isFalse();
		assertThat(this.hasher.matches("S3cret", hash)).isFalse();
		assertThat(this.hasher.matches("", hash)).isFalse();
	}

	@Test
	void hashWhenSameSecretTwiceThenDifferentSaltedHashesThatBothMatch() {
		String first = this.hasher.hash("s3cret");
		String second = this.hasher.hash("s3cret");

		assertThat(first).isNotEqualTo(second);
		assertThat(this.hasher.matches("s3cret", first)).isTrue();
		assertThat(this.hasher.matches("s3cret", second)).isTrue();
	}

	@Test
	void matchesWhenLongSecretsDifferOnlyInLastCharacterThenFalse() {
		// SuiteCRM generates 100-character secrets; plain BCrypt would only read the first 72 bytes
		String secret = "a".repeat(99) + "1";
		String hash = this.hasher.hash(secret);

		assertThat(this.hasher.matches(secret, hash)).isTrue();
		assertThat(this.hasher.matches("a".repeat(99) + "2", hash)).isFalse();
		assertThat(this.hasher.matches("a".repeat(72), hash)).isFalse();
	}

	@Test
	void matchesWhenHashIsNullThenFalse() {
		assertThat(this.hasher.matches("s3cret", null)).isFalse();
	}

	@Test
	void matchesWhenHashHasUnknownPrefixThenFalse() {
		String bcryptOnly = this.hasher.hash("s3cret").substring("{bcrypt-sha256}".length());

		assertThat(this.hasher.matches("s3cret", bcryptOnly)).isFalse();
		assertThat(this.hasher.matches("s3cret", "{noop}s3cret")).isFalse();
		assertThat(this.hasher.matches("s3cret", "")).isFalse();
	}

	@Test
	void matchesWhenUnicodeSecretThenMatchesOnlyItself() {
		String secret = "pässwörd-密码-🔑";
		String hash = this.hasher.hash(secret);

		assertThat(this.hasher.matches(secret, hash)).isTrue();
		assertThat(this.hasher.matches("passwörd-密码-🔑", hash)).isFalse();
		// the same text in decomposed form (a + combining diaeresis) is another byte sequence
		assertThat(this.hasher.matches("pa\u0308sswörd-密码-🔑", hash)).isFalse();
	}

	@Test
	void matchesNothingWhenAnySecretThenFalse() {
		assertThat(this.hasher.matchesNothing("decoy secret that matches nothing")).isFalse();
		assertThat(this.hasher.matchesNothing("")).isFalse();
	}

}
