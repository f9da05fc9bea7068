package dev.portcullis.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTests {

	@Test
	void cleanWhenLineBreaksAndControlsThenEachBecomesAQuestionMark() {
		assertThat(LogSafe.clean("x\n2026-12-03 INFO forged\r\u0085\u2028\u2029\u0000\u001b[31m\u202e"))
			.isEqualTo("x?2026-12-03 INFO forged??????[31m?");
	}

	@Test
	void cleanWhenLongThenCutAtOneHundredCharacters() {
		assertThat(LogSafe.clean("a".repeat(150))).isEqualTo("a".repeat(100) + "…");
		assertThat(LogSafe.clean("a".repeat(100))).isEqualTo("a".repeat(100));
	}

	@Test
	void cleanWhenNullThenDash() {
		assertThat(LogSafe.clean(null)).isEqualTo("-");
	}

}
