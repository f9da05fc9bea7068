package dev.portcullis.oauth2;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** league's payload, which the token endpoint, the proxy and the authorize endpoint's redirects all send. */
class OAuth2ErrorTests {

	@Test
	void payloadWhenHintThenErrorDescriptionHintMessageInLeaguesOrder() {
		OAuth2Error error = OAuth2Exception.invalidScope("crm").getError();

		assertThat(error.payload()).containsExactly(
				entry("error", "invalid_scope"),
				entry("error_description", "The requested scope is invalid, unknown, or malformed"),
				entry("hint", "Check the `crm` scope"),
				entry("message", "The requested scope is invalid, unknown, or malformed"));
	}

	@Test
	void payloadWhenNoHintThenNoHintKey() {
		OAuth2Error error = OAuth2Exception.badGateway().getError();

		assertThat(error.payload()).containsExactly(
				entry("error", "bad_gateway"),
				entry("error_description", "The CRM backend could not be reached."),
				entry("message", "The CRM backend could not be reached."));
		assertThat(error.httpStatus()).isEqualTo(502);
	}

}
