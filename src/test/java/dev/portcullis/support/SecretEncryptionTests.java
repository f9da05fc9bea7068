package dev.portcullis.support;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretEncryptionTests {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

	@Test
	void encryptThenDecryptWithTheSameContextGivesThePlaintext() {
		SecretEncryption encryption = new SecretEncryption(KEY, List.of());

		String sealed = encryption.encrypt("{\"d\":\"private\"}", "kid-1");

		assertThat(sealed).startsWith("enc:v1:").doesNotContain("private");
		assertThat(SecretEncryption.isEncrypted(sealed)).isTrue();
		assertThat(encryption.decrypt(sealed, "kid-1")).isEqualTo("{\"d\":\"private\"}");
	}

	@Test
	void encryptTwiceThenDifferentCiphertexts() {
		SecretEncryption encryption = new SecretEncryption(KEY, List.of());

		assertThat(encryption.encrypt("same", "kid")).isNotEqualTo(encryption.encrypt("same", "kid"));
	}

	/** Attack: a ciphertext copied from one key's entry to another's. */
	@Test
	void decryptWhenOtherContextThenRefused() {
		SecretEncryption encryption = new SecretEncryption(KEY, List.of());
		String sealed = encryption.encrypt("secret", "kid-1");

		assertThatThrownBy(() -> encryption.decrypt(sealed, "kid-2")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("does not decrypt");
	}

	@Test
	void decryptWhenChangedThenRefused() {
		SecretEncryption encryption = new SecretEncryption(KEY, List.of());
		String sealed = encryption.encrypt("secret", "kid");
		char last = sealed.charAt(sealed.length() - 2);
		String changed = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);

		assertThatThrownBy(() -> encryption.decrypt(changed, "kid")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void decryptWhenEncryptionKeyChangedThenPreviousKeyStillDecryptsAndNewValuesUseTheNewKey() {
		String sealedWithOld = new SecretEncryption(KEY, List.of()).encrypt("secret", "kid");
		SecretEncryption rotated = new SecretEncryption(OTHER_KEY, List.of(KEY));

		assertThat(rotated.decrypt(sealedWithOld, "kid")).isEqualTo("secret");
		assertThat(new SecretEncryption(OTHER_KEY, List.of()).decrypt(rotated.encrypt("secret", "kid"), "kid"))
			.isEqualTo("secret");
	}

	@Test
	void decryptWhenKeyNotConfiguredThenRefusedNamingTheKeyId() {
		String sealed = new SecretEncryption(KEY, List.of()).encrypt("secret", "kid");

		assertThatThrownBy(() -> new SecretEncryption(OTHER_KEY, List.of()).decrypt(sealed, "kid"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("not configured");
	}

	@Test
	void newWhenKeyIsNot256BitsThenRefusedWithoutShowingIt() {
		assertThatThrownBy(() -> new SecretEncryption("c2hvcnQ=", List.of())).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("32 bytes")
			.hasMessageNotContaining("c2hvcnQ=");
		assertThatThrownBy(() -> new SecretEncryption("not base64!", List.of()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("openssl rand -base64 32");
	}

}
