package dev.portcullis.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link RsaKeys}. The PKCS#1 form is derived from the PKCS#8 DER by removing its wrapper, and the
 * {@code test-rsa-*.pem} resources were written once by {@code openssl genrsa -traditional 2048} (and
 * {@code openssl pkey}, {@code openssl pkcs8 -topk8}); they are test-only keys that sign nothing real.
 */
class RsaKeysTests {

	private static KeyPair keyPair;

	@BeforeAll
	static void generateKeyPair() throws NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		keyPair = generator.generateKeyPair();
	}

	@Test
	void fromPemWhenPkcs8ThenPrivateKeyWithThumbprintKid() throws JOSEException {
		RSAKey key = RsaKeys.fromPem(pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()), null);

		assertThat(key.isPrivate()).isTrue();
		assertThat(key.toRSAPrivateKey()).isEqualTo(keyPair.getPrivate());
		assertThat(key.toRSAPublicKey()).isEqualTo(keyPair.getPublic());
		assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString()).hasSize(43);
		assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
	}

	@Test
	void fromPemWhenPkcs1ThenSameKeyAsPkcs8() throws JOSEException {
		byte[] pkcs8 = keyPair.getPrivate().getEncoded();

		RSAKey fromPkcs1 = RsaKeys.fromPem(pem("RSA PRIVATE KEY", pkcs1Of(pkcs8)), null);
		RSAKey fromPkcs8 = RsaKeys.fromPem(pem("PRIVATE KEY", pkcs8), null);

		assertThat(fromPkcs1.toRSAPrivateKey()).isEqualTo(keyPair.getPrivate());
		assertThat(fromPkcs1.toJSONObject()).isEqualTo(fromPkcs8.toJSONObject());
		assertThat(fromPkcs1.getKeyID()).isEqualTo(fromPkcs8.getKeyID());
	}

	@Test
	void fromPemWhenOpensslGenrsaTraditionalThenSameKeyAsItsPkcs8Form() throws JOSEException {
		RSAKey fromPkcs1 = RsaKeys.fromPem(resource("test-rsa-pkcs1.pem"), null);
		RSAKey fromPkcs8 = RsaKeys.fromPem(resource("test-rsa-pkcs8.pem"), null);

		assertThat(fromPkcs1.size()).isEqualTo(2048);
		assertThat(fromPkcs1.toRSAPrivateKey()).isEqualTo(fromPkcs8.toRSAPrivateKey());
		assertThat(fromPkcs1.getKeyID()).isEqualTo(fromPkcs8.getKeyID())
			.isEqualTo(fromPkcs1.computeThumbprint().toString());
	}

	@Test
	void fromPemWhenWindowsLineEndingsThenRead() throws JOSEException {
		String pem = pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()).replace("\n", "\r\n");

		RSAKey key = RsaKeys.fromPem(pem, null);

		assertThat(key.toRSAPublicKey()).isEqualTo(keyPair.getPublic());
	}

	@Test
	void fromPemWhenKeyIdConfiguredThenConfiguredKidWins() {
		RSAKey key = RsaKeys.fromPem(pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()), "portcullis-2026-01");

		assertThat(key.getKeyID()).isEqualTo("portcullis-2026-01");
	}

	@Test
	void fromPemWhen1024BitKeyThenRefused() throws NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();

		assertThatThrownBy(() -> RsaKeys.fromPem(pem("PRIVATE KEY", pkcs8), null))
			.isExactlyInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("at least 2048 bits");
		assertThatThrownBy(() -> RsaKeys.fromPem(pem("RSA PRIVATE KEY", pkcs1Of(pkcs8)), null))
			.isExactlyInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("at least 2048 bits");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("unusablePems")
	void fromPemWhenNotAnUnencryptedRsaPrivateKeyThenIllegalArgumentException(String description, String pem) {
		assertThatThrownBy(() -> RsaKeys.fromPem(pem, null)).isExactlyInstanceOf(IllegalArgumentException.class);
	}

	static Stream<Arguments> unusablePems() throws Exception {
		byte[] pkcs8 = keyPair.getPrivate().getEncoded();
		KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
		ec.initialize(new ECGenParameterSpec("secp256r1"));
		return Stream.of(
				Arguments.of("empty", ""),
				Arguments.of("garbage", "this is not a key"),
				Arguments.of("PKCS#8 header, not Base64", "-----BEGIN PRIVATE KEY-----\n!!!*&^\n-----END PRIVATE KEY-----\n"),
				Arguments.of("PKCS#8 header, Base64 of garbage", pem("PRIVATE KEY", "garbage garbage garbage".getBytes(StandardCharsets.US_ASCII))),
				Arguments.of("PKCS#1 header, Base64 of garbage", pem("RSA PRIVATE KEY", "garbage garbage garbage".getBytes(StandardCharsets.US_ASCII))),
				Arguments.of("PKCS#8, truncated", pem("PRIVATE KEY", Arrays.copyOf(pkcs8, pkcs8.length / 2))),
				Arguments.of("PKCS#1, truncated", pem("RSA PRIVATE KEY", Arrays.copyOf(pkcs1Of(pkcs8), 300))),
				Arguments.of("PKCS#1 header around PKCS#8 DER", pem("RSA PRIVATE KEY", pkcs8)),
				Arguments.of("PKCS#8 header around PKCS#1 DER", pem("PRIVATE KEY", pkcs1Of(pkcs8))),
				Arguments.of("header only", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"),
				Arguments.of("public key", pem("PUBLIC KEY", keyPair.getPublic().getEncoded())),
				Arguments.of("public key DER under a private key header", pem("PRIVATE KEY", keyPair.getPublic().getEncoded())),
				Arguments.of("EC private key", pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded())),
				Arguments.of("encrypted PKCS#1 (openssl genrsa -aes128)", resource("test-rsa-pkcs1-encrypted.pem")),
				Arguments.of("encrypted PKCS#8 (openssl pkcs8 -topk8)", resource("test-rsa-pkcs8-encrypted.pem")));
	}

	@Test
	void generateThenRs256SigningKeyOf2048BitsWithThumbprintKid() throws JOSEException {
		RSAKey key = RsaKeys.generate();

		assertThat(key.size()).isEqualTo(2048);
		assertThat(key.isPrivate()).isTrue();
		assertThat(key.toRSAPrivateKey()).isInstanceOf(RSAPrivateCrtKey.class);
		assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
		assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
	}

	@Test
	void generateWhenCalledTwiceThenDifferentKeys() {
		assertThat(RsaKeys.generate().getKeyID()).isNotEqualTo(RsaKeys.generate().getKeyID());
	}

	private static String pem(String type, byte[] der) {
		String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
	}

	/**
	 * The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER version, SEQUENCE algorithm,
	 * OCTET STRING privateKey }, whose last field holds the PKCS#1 DER.
	 */
	private static byte[] pkcs1Of(byte[] pkcs8) {
		Der outer = Der.at(pkcs8, 0);
		assertThat(outer.tag).isEqualTo(0x30);
		Der version = Der.at(pkcs8, outer.contentStart);
		Der algorithm = Der.at(pkcs8, version.end());
		Der privateKey = Der.at(pkcs8, algorithm.end());
		assertThat(privateKey.tag).isEqualTo(0x04);
		return Arrays.copyOfRange(pkcs8, privateKey.contentStart, privateKey.end());
	}

	private static String resource(String name) {
		try (InputStream in = RsaKeysTests.class.getResourceAsStream(name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One DER element: its tag, where its content starts and how long it is. */
	private record Der(int tag, int contentStart, int length) {

		static Der at(byte[] der, int offset) {
			int tag = der[offset] & 0xff;
			int first = der[offset + 1] & 0xff;
			if (first < 0x80) {
				return new Der(tag, offset + 2, first);
			}
			int count = first & 0x7f;
			int length = 0;
			for (int i = 0; i < count; i++) {
				length = (length << 8) | (der[offset + 2 + i] & 0xff);
			}
			return new Der(tag, offset + 2 + count, length);
		}

		int end() {
			return this.contentStart + this.length;
		}

	}

}
