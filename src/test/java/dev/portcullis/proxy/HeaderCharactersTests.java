package dev.portcullis.proxy;

import org.junit.jupiter.api.Test;

import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HeaderCharacters} answers as Spring Security's default firewall predicates, for every code point (and
 * unpaired surrogates) in the middle of a header.
 */
class HeaderCharactersTests {

	@Test
	void isAllowedWhenAnyCodePointThenSameAsTheFirewallDefaults() {
		int differences = 0;
		StringBuilder first = new StringBuilder();
		for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
			String text = "a" + new String(Character.toChars(c)) + "b";
			boolean name = StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(text);
			boolean value = StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(text);
			if (HeaderCharacters.isAllowedName(text) != name || HeaderCharacters.isAllowedValue(text) != value) {
				if (differences++ < 5) {
					first.append(String.format("U+%04X name %s value %s; ", c, name, value));
				}
			}
		}
		assertThat(differences).as(first.toString()).isZero();
	}

	@Test
	void isAllowedWhenTypicalHeadersThenAsExpected() {
		assertThat(HeaderCharacters.isAllowedValue("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).isTrue();
		assertThat(HeaderCharacters.isAllowedValue("a\tb")).isTrue();
		assertThat(HeaderCharacters.isAllowedName("a\tb")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("a\r\nInjected: 1")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("\u0000")).isFalse();
		assertThat(HeaderCharacters.isAllowedValue("Zürich \uD83D\uDE00")).isTrue();
		assertThat(HeaderCharacters.isAllowedValue("\u0378")).as("unassigned").isFalse();
		assertThat(HeaderCharacters.isAllowedValue(null)).isTrue();
	}

}
