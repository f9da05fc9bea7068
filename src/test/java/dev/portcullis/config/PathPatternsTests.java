package dev.portcullis.config;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PathPatterns} answers as Spring Security's path matchers for the patterns the gateway uses. */
class PathPatternsTests {

	private static final String[] PATTERNS = { "/Api/access_token", "/admin/**", "/assets/**" };

	@Test
	void testWhenPathsThenSameAsSpringSecurity() {
		PathPatterns patterns = PathPatterns.anyOf(PATTERNS);
		for (String path : new String[] { "/Api/access_token", "/Api/access_token/", "/Api/V8/module/Accounts",
				"/admin", "/admin/api/clients", "/admin/", "/administrator", "/assets/app.css", "/", "/API/access_token",
				"/Api/%61ccess_token", "/Api/access_token;x=1" }) {
			MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
			boolean spring = ServerWebExchangeMatchers.pathMatchers(PATTERNS).matches(exchange).block().isMatch();
			assertThat(patterns.test(exchange)).as(path).isEqualTo(spring);
			assertThat(patterns.matches(exchange).block().isMatch()).as(path).isEqualTo(spring);
		}
	}

	@Test
	void testWhenMethodGivenThenOtherMethodsDoNotMatch() {
		PathPatterns jwks = PathPatterns.anyOf(HttpMethod.GET, "/.well-known/jwks.json");

		assertThat(jwks.test(MockServerWebExchange.from(MockServerHttpRequest.get("/.well-known/jwks.json")))).isTrue();
		assertThat(jwks.test(MockServerWebExchange.from(MockServerHttpRequest.post("/.well-known/jwks.json")))).isFalse();
		assertThat(jwks.test(MockServerWebExchange.from(MockServerHttpRequest.get("/.well-known/other")))).isFalse();
	}

}
