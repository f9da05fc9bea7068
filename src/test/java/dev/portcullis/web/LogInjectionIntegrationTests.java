package dev.portcullis.web;

import dev.portcullis.oauth2.GrantType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: a valid client sent {@code scope=x%0A<fake log line>} and the refusal's log line split in two. Whatever
 * a caller sends reaches the log as one line.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogInjectionIntegrationTests extends PortcullisIntegrationTests {

	private static final String FORGED = "2026-12-03T00:00:00.000Z  INFO 1 --- [portcullis] forged: admin logged in";

	@Test
	void tokenEndpointWhenAValueCarriesALineBreakThenTheLogLineStaysOneLine(CapturedOutput output) {
		String clientId = uniqueId("logged");
		registerClient(clientId, GrantType.CLIENT_CREDENTIALS);

		postForm(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secretOf(clientId),
				"scope", "x\n" + FORGED)).expectStatus().isBadRequest();
		postForm(form("grant_type", "client_credentials", "client_id", "nobody\r\n" + FORGED, "client_secret", "x"))
			.expectStatus().isUnauthorized();

		assertThat(output.getOut().lines()).filteredOn((line) -> line.contains("2026-12-03T00:00:00.000Z"))
			.hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("token refused").doesNotStartWith("2026-12-03T00:00:00"));
	}

}
