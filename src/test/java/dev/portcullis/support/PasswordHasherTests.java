package dev.portcullis.support;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import dev.portcullis.fixtures.SuiteCrmDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCrypt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PasswordHasher}.
 */
class PasswordHasherTests {

	private final PasswordHasher hasher = new PasswordHasher(4);

	private final PasswordHasher argon2 = new PasswordHasher(4, PasswordHasher.Algorithm.ARGON2ID);

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

	/** Issue 15: SuiteCRM's client secrets, {@code hash('sha256', $secret)}, compared as PHP's {@code ===} does. */
	@Test
	void matchesWhenSuiteCrmSha256ThenOnlyItsSecretMatchesAsSuiteCrmChecksIt() {
		String stored = SuiteCrmDatabase.sha256Hex("crm-secret-1");
		String hash = PasswordHasher.marked(PasswordHasher.SUITECRM_SHA256, stored);

		assertThat(this.hasher.matches("crm-secret-1", hash)).isTrue();
		assertThat(this.hasher.matches("crm-secret-2", hash)).isFalse();
		assertThat(this.hasher.matches("", hash)).isFalse();
		// PHP's hash() writes lower case and === compares case: an upper-case copy matches nothing in SuiteCRM either
		String upperCase = PasswordHasher.marked(PasswordHasher.SUITECRM_SHA256, stored.toUpperCase(Locale.ROOT));
		assertThat(this.hasher.matches("crm-secret-1", upperCase)).isFalse();
		assertThat(this.hasher.matches("", PasswordHasher.marked(PasswordHasher.SUITECRM_SHA256, ""))).isFalse();
		assertThat(this.hasher.matches("crm-secret-1", PasswordHasher.marked(PasswordHasher.SUITECRM_SHA256, ""))).isFalse();
	}

	/**
	 * Issue 15: SuiteCRM's password hash, {@code password_hash(strtolower(md5($password)))}. The hash below was made
	 * by another bcrypt implementation (glibc's libxcrypt, Python's {@code crypt.crypt(md5, "$2y$10$…")}) with PHP's
	 * {@code $2y$} prefix and cost, for the password {@code Pässwort-1} (its UTF-8 bytes, as PHP has them).
	 */
	@Test
	void matchesWhenSuiteCrmMd5BcryptFromPhpsPrefixThenOnlyItsPasswordMatches() {
		String hash = PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT,
				"$2y$10$abcdefghijklmnopqrstuuOFw90SgcjMCDB96sGm0b5WPpXJid6ZC");

		assertThat(this.hasher.matches("Pässwort-1", hash)).isTrue();
		assertThat(this.hasher.matches("pässwort-1", hash)).isFalse();
		assertThat(this.hasher.matches("", hash)).isFalse();
		// the password's MD5 itself is not the password
		assertThat(this.hasher.matches(md5("Pässwort-1"), hash)).isFalse();
	}

	@Test
	void matchesWhenSuiteCrmMd5BcryptOverUpperCaseMd5ThenNothingMatchesAsInSuiteCrm() {
		String overUpperCase = BCrypt.hashpw(md5("password-1").toUpperCase(Locale.ROOT), BCrypt.gensalt("$2y", 4));
		String overLowerCase = SuiteCrmDatabase.passwordHash("password-1");

		assertThat(this.hasher.matches("password-1", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, overUpperCase))).isFalse();
		assertThat(this.hasher.matches("password-1", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, overLowerCase))).isTrue();
		assertThat(this.hasher.matches("password-1", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, ""))).isFalse();
		assertThat(this.hasher.matches("", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, ""))).isFalse();
	}

	/**
	 * Issue 15 and review: SugarCRM's bare {@code md5($password)} is kept under bcrypt at this hasher's strength, and
	 * checks as {@code User::checkPasswordMD5} checks the MD5: only its password matches, never the MD5 itself.
	 */
	@Test
	void hashSuiteCrmMd5ThenBcryptOverTheMd5ThatOnlyItsPasswordMatches() {
		String md5 = SuiteCrmDatabase.md5Hex("password-1");
		String hash = this.hasher.hashSuiteCrmMd5(md5);

		assertThat(hash).startsWith("{suitecrm-md5-bcrypt}$2a$04$").doesNotContain(md5);
		assertThat(this.hasher.matches("password-1", hash)).isTrue();
		assertThat(this.hasher.matches("password-2", hash)).isFalse();
		assertThat(this.hasher.matches("", hash)).isFalse();
		assertThat(this.hasher.matches(md5, hash)).isFalse();
		assertThat(this.hasher.matchesSuiteCrmMd5(md5, hash)).isTrue();
		assertThat(this.hasher.matchesSuiteCrmMd5(SuiteCrmDatabase.md5Hex("password-2"), hash)).isFalse();
		assertThat(this.hasher.matchesSuiteCrmMd5(md5, this.hasher.hash(md5))).as("not SuiteCRM's scheme").isFalse();
	}

	/** Review: a bcrypt cost past 31 made Spring's BCrypt throw, a 500 with a stack trace at every sign-in. */
	@Test
	void matchesWhenSuiteCrmMd5BcryptCostPast31ThenFalseWithoutAnException() {
		String hash = withCost(SuiteCrmDatabase.passwordHash("password-1"), "99");

		assertThat(this.hasher.matches("password-1", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, hash))).isFalse();
	}

	/**
	 * Review: cost 31 is 2^31 rounds, days of one hashing thread per attempt. Checked at that cost, this test would not
	 * return; it is answered false without hashing at it.
	 */
	@Test
	void matchesWhenSuiteCrmMd5BcryptCostBeyondTheHashersStrengthOr12ThenFalse() {
		String cost31 = withCost(SuiteCrmDatabase.passwordHash("password-1"), "31");
		String cost3 = withCost(SuiteCrmDatabase.passwordHash("password-1"), "03");

		assertThat(this.hasher.matches("password-1", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, cost31))).isFalse();
		assertThat(this.hasher.matches("password-1", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, cost3))).isFalse();
	}

	@Test
	void acceptsBcryptCostWhenFrom4ToTheHashersStrengthOr12ThenTrue() {
		assertThat(this.hasher.acceptsBcryptCost(3)).isFalse();
		assertThat(this.hasher.acceptsBcryptCost(4)).isTrue();
		assertThat(this.hasher.acceptsBcryptCost(12)).as("PHP 8.4's default, above this hasher's strength").isTrue();
		assertThat(this.hasher.acceptsBcryptCost(13)).isFalse();
		assertThat(this.hasher.acceptsBcryptCost(-1)).as("not bcrypt").isFalse();
		assertThat(new PasswordHasher(13).acceptsBcryptCost(13)).as("up to the hasher's own strength").isTrue();
		assertThat(PasswordHasher.bcryptCost(SuiteCrmDatabase.passwordHash("password-1"))).isEqualTo(10);
		assertThat(PasswordHasher.bcryptCost("$2y$10$short")).isEqualTo(-1);
	}

	@Test
	void isLegacyWhenSuiteCrmSchemesThenTrueAndForItsOwnOrNoneFalse() {
		assertThat(PasswordHasher.isLegacy("{suitecrm-sha256}ab")).isTrue();
		assertThat(PasswordHasher.isLegacy("{suitecrm-md5-bcrypt}$2y$10$x")).isTrue();
		assertThat(PasswordHasher.isLegacy("{suitecrm-md5}ab")).as("stored by no import").isFalse();
		assertThat(PasswordHasher.isLegacy(this.hasher.hash("s3cret"))).isFalse();
		assertThat(PasswordHasher.isLegacy("{suitecrm-sha512}ab")).isFalse();
		assertThat(PasswordHasher.isLegacy("ab")).isFalse();
		assertThat(PasswordHasher.isLegacy(null)).isFalse();
		assertThat(PasswordHasher.scheme("{suitecrm-md5-bcrypt}$2y$")).isEqualTo(PasswordHasher.SUITECRM_MD5_BCRYPT);
		assertThat(PasswordHasher.scheme("{suitecrm-md5}ab")).isNull();
	}

	@Test
	void matchesWhenUnknownSchemeThatLooksLegacyThenFalse() {
		assertThat(this.hasher.matches("s3cret", "{suitecrm-sha512}" + SuiteCrmDatabase.sha256Hex("s3cret"))).isFalse();
		assertThat(this.hasher.matches("s3cret", SuiteCrmDatabase.sha256Hex("s3cret"))).isFalse();
		assertThat(this.hasher.matches("s3cret", SuiteCrmDatabase.md5Hex("s3cret"))).isFalse();
	}

	/** {@code bcrypt} with its cost field changed: the hash is no longer right, but only its cost is read first. */
	private static String withCost(String bcrypt, String cost) {
		return bcrypt.substring(0, 4) + cost + bcrypt.substring(6);
	}

	private static String md5(String value) {
		return SuiteCrmDatabase.md5Hex(value);
	}

	/** Issue 16: Argon2id at Keycloak's parameters, in Spring Security's {@code {argon2}} form. */
	@Test
	void hashWhenArgon2idThenSpringsArgon2FormAtKeycloaksParametersThatMatchesOnlyItsPassword() {
		String hash = this.argon2.hash("Pässwort-1");

		assertThat(this.argon2.scheme()).isEqualTo(PasswordHasher.ARGON2);
		assertThat(hash).matches("\\{argon2}\\$argon2id\\$v=19\\$m=7168,t=5,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
		assertThat(this.argon2.matches("Pässwort-1", hash)).isTrue();
		assertThat(this.argon2.matches("Pässwort-1 ", hash)).isFalse();
		assertThat(this.argon2.matches("", hash)).isFalse();
		assertThat(this.argon2.hash("Pässwort-1")).as("salted").isNotEqualTo(hash);
		assertThat(PasswordHasher.isLegacy(hash)).isFalse();
	}

	/** Whichever scheme a hasher writes, it checks both: a stored hash keeps working when the setting changes. */
	@Test
	void matchesWhenTheOtherOfBcryptAndArgon2idThenChecked() {
		String bcrypt = this.hasher.hash("s3cret-password");
		String argon2 = this.argon2.hash("s3cret-password");

		assertThat(this.argon2.matches("s3cret-password", bcrypt)).isTrue();
		assertThat(this.argon2.matches("s3cret-passwort", bcrypt)).isFalse();
		assertThat(this.hasher.matches("s3cret-password", argon2)).isTrue();
		assertThat(this.hasher.matches("s3cret-passwort", argon2)).isFalse();
	}

	/**
	 * Review: a stored Argon2 hash carries its own parameters, and Spring's Argon2 computes at them: 2^31 - 1 passes
	 * hold a hashing thread for hours, 4 GiB of memory per check take the JVM's heap. Checked at those, this test would
	 * not return; such a hash is answered false without hashing at it, as a bcrypt cost past the limit is.
	 */
	@Test
	void matchesWhenArgon2ParametersBeyondTheLimitsThenFalseWithoutHashingAtThem() {
		String salt = "c29tZXNhbHRzb21lc2FsdA";
		String hash = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
		for (String parameters : new String[] { "m=8,t=2147483647,p=1", "m=4194304,t=1,p=1", "m=7168,t=5,p=16777215" }) {
			String stored = PasswordHasher.marked(PasswordHasher.ARGON2,
					"$argon2id$v=19$" + parameters + "$" + salt + "$" + hash);
			assertThat(this.argon2.matches("s3cret-password", stored)).as(parameters).isFalse();
			assertThat(this.hasher.matches("s3cret-password", stored)).as(parameters).isFalse();
		}
	}

	@Test
	void needsUpgradeWhenArgon2idConfiguredThenBcryptWeakerArgon2AndSuiteCrmsTrueItsOwnFalse() {
		String weaker = PasswordHasher.marked(PasswordHasher.ARGON2,
				new Argon2PasswordEncoder(16, 32, 1, 4096, 3).encode("s3cret-password"));

		assertThat(this.argon2.needsUpgrade(this.argon2.hash("s3cret-password"))).isFalse();
		assertThat(this.argon2.needsUpgrade(this.hasher.hash("s3cret-password"))).isTrue();
		assertThat(this.argon2.needsUpgrade(weaker)).as("m=4096,t=3").isTrue();
		assertThat(this.argon2.matches("s3cret-password", weaker)).isTrue();
		assertThat(this.argon2.needsUpgrade(this.argon2.hashSuiteCrmMd5(SuiteCrmDatabase.md5Hex("x")))).isTrue();
		assertThat(this.argon2.needsUpgrade("{suitecrm-sha256}ab")).isTrue();
	}

	@Test
	void needsUpgradeWhenBcryptConfiguredThenArgon2AndLowerCostTrueItsOwnFalse() {
		PasswordHasher cost5 = new PasswordHasher(5);

		assertThat(cost5.needsUpgrade(cost5.hash("s3cret-password"))).isFalse();
		assertThat(cost5.needsUpgrade(this.argon2.hash("s3cret-password"))).isTrue();
		assertThat(cost5.needsUpgrade(this.hasher.hash("s3cret-password"))).as("cost 4").isTrue();
		assertThat(this.hasher.needsUpgrade(cost5.hash("s3cret-password"))).as("a higher cost stays").isFalse();
	}

	/**
	 * The decoy (an unknown user, a missing hash, Spring's shortcut for an empty password) runs the configured scheme:
	 * Argon2id fills its 7 MiB of memory on the calling thread, bcrypt allocates next to nothing. Measured as bytes
	 * allocated, not time.
	 */
	@Test
	void matchesNothingWhenArgon2idConfiguredThenAnArgon2idCheckRunsAndWhenBcryptNot() {
		long argon2Memory = PasswordHasher.ARGON2_MEMORY_KIB * 1024L;

		assertThat(allocatedBy(() -> this.argon2.matchesNothing("any password"))).isGreaterThan(argon2Memory);
		assertThat(allocatedBy(() -> this.argon2.matches("any password", null))).isGreaterThan(argon2Memory);
		assertThat(allocatedBy(() -> this.argon2.matches("any password", "{unknown}x"))).isGreaterThan(argon2Memory);
		String hash = this.argon2.hash("s3cret-password");
		assertThat(allocatedBy(() -> this.argon2.matches("", hash))).as("empty password").isGreaterThan(argon2Memory);
		assertThat(allocatedBy(() -> this.hasher.matchesNothing("any password"))).isLessThan(argon2Memory / 4);
		assertThat(allocatedBy(() -> this.hasher.matches("any password", null))).isLessThan(argon2Memory / 4);
	}

	/** Bytes the current thread allocated while {@code check} ran, after a first run (class loading, JIT). */
	private static long allocatedBy(Runnable check) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		check.run();
		long before = threads.getCurrentThreadAllocatedBytes();
		check.run();
		return threads.getCurrentThreadAllocatedBytes() - before;
	}

}
