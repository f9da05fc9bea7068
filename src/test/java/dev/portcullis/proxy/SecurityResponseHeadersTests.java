package dev.portcullis.proxy;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.header.CacheControlServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ContentTypeOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.security.web.server.header.StrictTransportSecurityServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XXssProtectionServerHttpHeadersWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Proxied responses get exactly what Spring Security's default header writers would write, in every case they tell apart. */
class SecurityResponseHeadersTests {

	/** {@code ServerHttpSecurity.HeaderSpec}'s defaults that write without further settings, in its order. */
	private static final List<ServerHttpHeadersWriter> SPRING_SECURITY_WRITERS = List.of(
			new CacheControlServerHttpHeadersWriter(), new ContentTypeOptionsServerHttpHeadersWriter(),
			new StrictTransportSecurityServerHttpHeadersWriter(), new XFrameOptionsServerHttpHeadersWriter(),
			new XXssProtectionServerHttpHeadersWriter(), new ReferrerPolicyServerHttpHeadersWriter());

	static Stream<Arguments> responses() {
		Consumer<ServerHttpResponse> nothing = (response) -> {
		};
		return Stream.of(Arguments.of("http, 200", "http://gateway/Api/V8/module/Accounts", nothing),
				Arguments.of("https, 200", "https://gateway/Api/V8/module/Accounts", nothing),
				Arguments.of("https, 304", "https://gateway/x",
						(Consumer<ServerHttpResponse>) (response) -> response.setStatusCode(HttpStatus.NOT_MODIFIED)),
				Arguments.of("backend's Cache-Control", "http://gateway/x",
						(Consumer<ServerHttpResponse>) (response) -> response.getHeaders().set("Cache-Control", "max-age=60")),
				Arguments.of("backend's expires, lower-case", "http://gateway/x",
						(Consumer<ServerHttpResponse>) (response) -> response.getHeaders().set("expires", "Thu, 01 Jan 2099 00:00:00 GMT")),
				Arguments.of("backend's X-Frame-Options and HSTS", "https://gateway/x",
						(Consumer<ServerHttpResponse>) (response) -> {
							response.getHeaders().set("X-Frame-Options", "SAMEORIGIN");
							response.getHeaders().set("Strict-Transport-Security", "max-age=60");
						}),
				Arguments.of("backend's Referrer-Policy, X-XSS-Protection, nosniff", "http://gateway/x",
						(Consumer<ServerHttpResponse>) (response) -> {
							response.getHeaders().set("Referrer-Policy", "origin");
							response.getHeaders().set("X-XSS-Protection", "1; mode=block");
							response.getHeaders().set("X-Content-Type-Options", "nosniff");
						}));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("responses")
	void writeWhenResponseThenWhatSpringSecuritysWritersWrite(String description, String uri,
			Consumer<ServerHttpResponse> backend) {
		MockServerWebExchange bySpringSecurity = MockServerWebExchange.from(MockServerHttpRequest.get(uri));
		backend.accept(bySpringSecurity.getResponse());
		SPRING_SECURITY_WRITERS.forEach((writer) -> writer.writeHttpHeaders(bySpringSecurity).block());
		MockServerWebExchange byPortcullis = MockServerWebExchange.from(MockServerHttpRequest.get(uri));
		backend.accept(byPortcullis.getResponse());

		SecurityResponseHeaders.write(byPortcullis);

		assertThat(headers(byPortcullis)).isEqualTo(headers(bySpringSecurity)).isNotEmpty();
	}

	private static List<Map.Entry<String, List<String>>> headers(MockServerWebExchange exchange) {
		return exchange.getResponse().getHeaders().headerSet().stream()
			.map((header) -> Map.entry(header.getKey().toLowerCase(), header.getValue()))
			.sorted(Map.Entry.comparingByKey())
			.toList();
	}

}
