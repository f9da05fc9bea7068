package dev.portcullis.proxy;

import java.util.List;

import dev.portcullis.config.PortcullisProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityHeadersFilterTests {

	private final IdentityHeadersFilter filter = new IdentityHeadersFilter(new PortcullisProperties.IdentityHeaders());

	@ParameterizedTest
	@ValueSource(strings = { "X-Auth-Subject", "x_auth_subject", "X.AUTH.SUBJECT", "x-auth_client-id", "X_Auth_Scopes",
			"X-Real-IP", "x_real_ip", "X_Forwarded_For", "x.forwarded.host", "X_Forwarded", "x_forwarded_proto" })
	void isRemovedWhenLookAlikeOfAProtectedNameThenTrue(String name) {
		assertThat(this.filter.isRemoved(name)).isTrue();
	}

	/** Canonical Forwarded and X-Forwarded-* are the gateway's own filters' business (removed, or set for trusted proxies). */
	@ParameterizedTest
	@ValueSource(strings = { "X-Forwarded-For", "x-forwarded-host", "Forwarded", "X-Auth-Subjects", "X-Auth",
			"Authorization", "Accept", "X-Request-Id", "X-Real-IPv6" })
	void isRemovedWhenCanonicalForwardingHeaderOrAnotherNameThenFalse(String name) {
		assertThat(this.filter.isRemoved(name)).isFalse();
	}

	@Test
	void filterWhenIdentityKnownThenLookAlikesRemovedAndIdentitySet() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/Api/V8/module/Accounts"));
		exchange.getAttributes().put(CallerIdentity.ATTRIBUTE, new CallerIdentity("user-1", "client-1", "a b"));
		HttpHeaders input = new HttpHeaders();
		input.add("X_Auth_Subject", "root");
		input.add("x-auth-scopes", "admin");
		input.add("Accept", "application/vnd.api+json");

		HttpHeaders filtered = this.filter.filter(input, exchange);

		assertThat(filtered.headerSet()).extracting((header) -> List.of(header.getKey(), header.getValue()))
			.containsExactlyInAnyOrder(List.of("Accept", List.of("application/vnd.api+json")),
					List.of("X-Auth-Subject", List.of("user-1")), List.of("X-Auth-Client-Id", List.of("client-1")),
					List.of("X-Auth-Scopes", List.of("a b")));
	}

	@Test
	void filterWhenNoIdentityThenOnlyRemoves() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		HttpHeaders input = new HttpHeaders();
		input.add("X-Auth-Subject", "root");

		assertThat(this.filter.filter(input, exchange).isEmpty()).isTrue();
	}

}
