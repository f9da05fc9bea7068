package dev.portcullis.oauth2.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FormUrlDecoding}: what a form encoder can have written decodes, anything else is not encoded.
 */
class FormUrlDecodingTests {

	@Test
	void decodeWhenFormEncodedThenDecoded() {
		assertThat(FormUrlDecoding.decode("pw%2Dclient")).isEqualTo("pw-client");
		assertThat(FormUrlDecoding.decode("client%5fsecret")).isEqualTo("client_secret");
		assertThat(FormUrlDecoding.decode("a+b%2Bc")).isEqualTo("a b+c");
		assertThat(FormUrlDecoding.decode("%C3%A9%E2%82%AC")).isEqualTo("é€");
		assertThat(FormUrlDecoding.decode("é€ plain")).isEqualTo("é€ plain");
		assertThat(FormUrlDecoding.decode("")).isEmpty();
	}

	@Test
	void decodeWhenAPercentStartsNoEscapeOrTheBytesAreNotUtf8ThenNull() {
		assertThat(FormUrlDecoding.decode("50%off")).isNull();
		assertThat(FormUrlDecoding.decode("%")).isNull();
		assertThat(FormUrlDecoding.decode("abc%4")).isNull();
		assertThat(FormUrlDecoding.decode("%2D%")).isNull();
		assertThat(FormUrlDecoding.decode("%C3")).isNull();
		assertThat(FormUrlDecoding.decode("%FF%FE")).isNull();
		// HexFormat takes ASCII digits only, unlike Character.digit
		assertThat(FormUrlDecoding.decode("%\uFF11\uFF12")).isNull();
	}

	@Test
	void isEscapedWhenOnlyAPlusOrNoValidEscapeThenFalse() {
		assertThat(FormUrlDecoding.isEscaped("ab+cd/ef==")).isFalse();
		assertThat(FormUrlDecoding.isEscaped("50%off")).isFalse();
		assertThat(FormUrlDecoding.isEscaped("secret-1")).isFalse();
		assertThat(FormUrlDecoding.isEscaped("secret%2D1")).isTrue();
		assertThat(FormUrlDecoding.isEscaped("ab%2Bcd%2Fef%3D%3D")).isTrue();
	}

}
