package dev.portcullis.proxy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseHopByHopHeadersFilterTests {

	@Test
	void supportsWhenAskedThenResponsesOnly() {
		ResponseHopByHopHeadersFilter filter = new ResponseHopByHopHeadersFilter();

		assertThat(filter.supports(HttpHeadersFilter.Type.RESPONSE)).isTrue();
		assertThat(filter.supports(HttpHeadersFilter.Type.REQUEST)).isFalse();
	}

	@Test
	void filterWhenHopByHopOrNamedInConnectionThenRemovedInAnyCaseAndTheRestKept() {
		HttpHeaders input = new HttpHeaders();
		input.add("Connection", "keep-alive, X-Backend-Hop");
		input.add("KEEP-ALIVE", "timeout=5");
		input.add("Proxy-Authenticate", "Basic");
		input.add("x-backend-hop", "1");
		input.add("Content-Type", "application/json");
		input.add("Set-Cookie", "a=1");
		input.add("Set-Cookie", "b=2");

		HttpHeaders filtered = new ResponseHopByHopHeadersFilter().filter(input,
				MockServerWebExchange.from(MockServerHttpRequest.get("/")));

		assertThat(filtered.headerSet()).extracting((header) -> List.of(header.getKey(), header.getValue()))
			.containsExactly(List.of("Content-Type", List.of("application/json")),
					List.of("Set-Cookie", List.of("a=1", "b=2")));
	}

	@Test
	void filterWhenOtherHeadersConfiguredThenThoseRemoved() {
		ResponseHopByHopHeadersFilter filter = new ResponseHopByHopHeadersFilter();
		filter.setHeaders(Set.of("X-Extra"));
		HttpHeaders input = new HttpHeaders();
		input.add("x-extra", "1");
		input.add("Keep-Alive", "timeout=5");

		assertThat(filter.filter(input, MockServerWebExchange.from(MockServerHttpRequest.get("/"))).headerNames())
			.containsExactly("Keep-Alive");
	}

	/** The gateway's setting still reaches the list, which the request filter takes from this one. */
	@Test
	void headersWhenGatewaySettingGivenThenBound() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
			.withBean(ResponseHopByHopHeadersFilter.class)
			.withPropertyValues("spring.cloud.gateway.server.webflux.filter.remove-hop-by-hop.headers=Connection,X-Extra")
			.run((context) -> {
				ResponseHopByHopHeadersFilter filter = context.getBean(ResponseHopByHopHeadersFilter.class);
				assertThat(filter.getHeaders()).containsExactlyInAnyOrder("connection", "x-extra");
				HttpHeaders input = new HttpHeaders();
				input.add("X-Extra", "1");
				input.add("Keep-Alive", "timeout=5");
				assertThat(filter.filter(input, MockServerWebExchange.from(MockServerHttpRequest.get("/"))).headerNames())
					.containsExactly("Keep-Alive");
			});
		assertThat(RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST).as("the gateway's shared default")
			.contains("keep-alive", "te");
	}

}
