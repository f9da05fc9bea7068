package dev.portcullis.proxy;

import java.util.List;
import java.util.Set;

import dev.portcullis.config.PortcullisProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class BackendRequestHeadersFilterTests {

	private final BackendRequestHeadersFilter filter = filter(false);

	/** With the gateway's Forwarded and X-Forwarded-* writers configured (its trusted-proxies setting). */
	private final BackendRequestHeadersFilter forwardingGateway = filter(true);

	@ParameterizedTest
	@ValueSource(strings = { "X-Auth-Subject", "x_auth_subject", "X.AUTH.SUBJECT", "x-auth_client-id", "X_Auth_Scopes",
			"X-Real-IP", "x_real_ip", "X_Forwarded_For", "x.forwarded.host", "X_Forwarded", "x_forwarded_proto" })
	void isRemovedWhenLookAlikeOfAProtectedNameThenTrue(String name) {
		assertThat(this.filter.isRemoved(name)).isTrue();
		assertThat(this.forwardingGateway.isRemoved(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "X-Forwarded-For", "x-forwarded-host", "X-FORWARDED-PROTO", "Forwarded", "FORWARDED" })
	void isRemovedWhenCanonicalForwardingHeaderThenRemovedUnlessTheGatewayWritesIt(String name) {
		assertThat(this.filter.isRemoved(name)).isTrue();
		assertThat(this.forwardingGateway.isRemoved(name)).isFalse();
	}

	@Test
	void isRemovedWhenTheGatewayWritesOneOfTheTwoThenOnlyTheOtherRemoved() {
		BackendRequestHeadersFilter forwardedOnly = new BackendRequestHeadersFilter(
				new PortcullisProperties.IdentityHeaders(), new ResponseHopByHopHeadersFilter(), true, false);
		BackendRequestHeadersFilter xForwardedOnly = new BackendRequestHeadersFilter(
				new PortcullisProperties.IdentityHeaders(), new ResponseHopByHopHeadersFilter(), false, true);

		assertThat(forwardedOnly.isRemoved("Forwarded")).isFalse();
		assertThat(forwardedOnly.isRemoved("X-Forwarded-For")).isTrue();
		assertThat(xForwardedOnly.isRemoved("Forwarded")).isTrue();
		assertThat(xForwardedOnly.isRemoved("X-Forwarded-For")).isFalse();
	}

	@Test
	void filterWhenHopByHopSettingChangedAfterwardsThenRequestsFollowIt() {
		ResponseHopByHopHeadersFilter hopByHop = new ResponseHopByHopHeadersFilter();
		BackendRequestHeadersFilter filter = new BackendRequestHeadersFilter(new PortcullisProperties.IdentityHeaders(),
				hopByHop, false, false);
		hopByHop.setHeaders(Set.of("X-Extra"));
		HttpHeaders input = new HttpHeaders();
		input.add("x-extra", "1");
		input.add("Keep-Alive", "timeout=5");

		assertThat(filter.filter(input, MockServerWebExchange.from(MockServerHttpRequest.get("/"))).headerNames())
			.containsExactly("Keep-Alive");
	}

	@ParameterizedTest
	@ValueSource(strings = { "X-Auth-Subjects", "X-Auth", "Authorization", "Accept", "X-Request-Id", "X-Real-IPv6",
			"X-Forwarded" })
	void isRemovedWhenAnotherNameThenFalse(String name) {
		assertThat(this.filter.isRemoved(name)).isFalse();
		assertThat(this.forwardingGateway.isRemoved(name)).isFalse();
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
	void filterWhenHopByHopOrNamedInConnectionThenRemovedInAnyCaseAndTheRestKept() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		HttpHeaders input = new HttpHeaders();
		input.add("connection", "Keep-Alive, X-Hop");
		input.add("CONNECTION", "x-other-hop");
		input.add("Keep-Alive", "timeout=5");
		input.add("TRANSFER-ENCODING", "chunked");
		input.add("TE", "trailers");
		input.add("Trailer", "X-Checksum");
		input.add("Proxy-Authorization", "Basic c2VjcmV0");
		input.add("Proxy-Authenticate", "Basic");
		input.add("X-Application-Context", "app");
		input.add("Upgrade", "h2c");
		input.add("x-hop", "1");
		input.add("X-Other-Hop", "2");
		input.add("X-Kept", "3");
		input.add("Accept", "application/json");
		input.add("Accept", "text/plain");

		HttpHeaders filtered = this.filter.filter(input, exchange);

		assertThat(filtered.headerSet()).extracting((header) -> List.of(header.getKey(), header.getValue()))
			.containsExactly(List.of("X-Kept", List.of("3")), List.of("Accept", List.of("application/json", "text/plain")));
		assertThat(input.size()).as("the input is left as it was").isEqualTo(13);
	}

	@Test
	void filterWhenNoIdentityThenOnlyRemoves() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		HttpHeaders input = new HttpHeaders();
		input.add("X-Auth-Subject", "root");

		assertThat(this.filter.filter(input, exchange).isEmpty()).isTrue();
	}

	private static BackendRequestHeadersFilter filter(boolean gatewayWritesForwardedHeaders) {
		return new BackendRequestHeadersFilter(new PortcullisProperties.IdentityHeaders(),
				new ResponseHopByHopHeadersFilter(), gatewayWritesForwardedHeaders, gatewayWritesForwardedHeaders);
	}

}
