package dev.portcullis.config;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link Issuers}: what {@code portcullis.issuer-uri} may be (RFC 8414 §2) and what the proxy accepts.
 */
class IssuersTests {

	@Test
	void ofWhenNoIssuerUriThenTheNameAsBefore() {
		Issuers issuers = Issuers.of(new PortcullisProperties());

		assertThat(issuers.uri()).isNull();
		assertThat(issuers.ofNewTokens()).isEqualTo("portcullis");
		assertThat(issuers.accepted()).containsExactly("portcullis");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://gateway.example", "https://gateway.example/", "https://gateway.example:8443",
			"http://127.0.0.1:8080", "http://localhost:8080/", "http://[::1]:8080" })
	void ofWhenAnIssuerUrlThenNewTokensCarryItWithoutTheSlashAndTheNameIsStillAccepted(String value) {
		Issuers issuers = Issuers.of(properties(value));

		String expected = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
		assertThat(issuers.ofNewTokens()).isEqualTo(expected);
		assertThat(issuers.accepted()).containsExactlyInAnyOrder(expected, "portcullis");
	}

	@Test
	void ofWhenFurtherIssuersAreAcceptedThenTheProxyAcceptsThemAndNewTokensDoNotCarryThem() {
		PortcullisProperties properties = new PortcullisProperties();
		properties.setAcceptedIssuers(java.util.List.of("https://gateway.example"));

		Issuers issuers = Issuers.of(properties);

		assertThat(issuers.ofNewTokens()).isEqualTo("portcullis");
		assertThat(issuers.accepted()).containsExactlyInAnyOrder("portcullis", "https://gateway.example");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://gateway.example", "http://127.attacker.example", "https://gateway.example/crm",
			"https://gateway.example?x=1", "https://gateway.example#f", "https://user@gateway.example", "gateway.example",
			"/relative", "ftp://gateway.example" })
	void ofWhenNotAnRfc8414IssuerThenTheStartFailsNamingTheSetting(String value) {
		assertThatIllegalStateException().isThrownBy(() -> Issuers.of(properties(value)))
			.withMessageContaining("portcullis.issuer-uri")
			.withMessageContaining(value);
	}

	private static PortcullisProperties properties(String issuerUri) {
		PortcullisProperties properties = new PortcullisProperties();
		properties.setIssuerUri(URI.create(issuerUri));
		return properties;
	}

}
