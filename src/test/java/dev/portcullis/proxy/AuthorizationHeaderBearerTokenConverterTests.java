package dev.portcullis.proxy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuthorizationHeaderBearerTokenConverter} answers every header as Spring Security's converter does: the
 * same token, nothing, or the same error.
 */
class AuthorizationHeaderBearerTokenConverterTests {

	private final ServerAuthenticationConverter converter = new AuthorizationHeaderBearerTokenConverter();

	private final ServerAuthenticationConverter spring = new ServerBearerTokenAuthenticationConverter();

	static List<String> headers() {
		return Arrays.asList(null, "", "Bearer", "Bearer ", "bearer abc", "BEARER abc", "BeArEr abc.def-ghi_jk~l+m/n",
				"Bearer abc==", "Bearer abc=", "Bearer ===", "Bearer abc=d", "Bearer a b", "Bearer  abc", "Bearer abc ",
				"Bearer\tabc", "Bearerabc", "Bearer abc\n", "Bearer äbc", "Bearer abc%", "Basic dXNlcjpwYXNz",
				"Bear abc", "bearerx abc", "Digest abc", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln");
	}

	@ParameterizedTest
	@MethodSource("headers")
	void convertWhenHeaderThenSameAnswerAsSpringSecurity(String header) {
		assertThat(answer(this.converter, header)).isEqualTo(answer(this.spring, header));
	}

	@ParameterizedTest
	@MethodSource("headers")
	void convertWhenWellFormedThenTokenAfterTheScheme(String header) {
		String answer = answer(this.converter, header);
		if (answer.startsWith("token:")) {
			assertThat(answer).isEqualTo("token:" + header.substring("Bearer ".length()));
		}
	}

	/** "token:…", "none" or "error:<code>:<description>". */
	private static String answer(ServerAuthenticationConverter converter, String header) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/Api/V8/module/Accounts");
		if (header != null) {
			request.header(HttpHeaders.AUTHORIZATION, header);
		}
		try {
			Authentication authentication = Mono.defer(() -> converter.convert(MockServerWebExchange.from(request)))
				.block(Duration.ofSeconds(1));
			return (authentication == null) ? "none"
					: "token:" + ((BearerTokenAuthenticationToken) authentication).getToken();
		}
		catch (OAuth2AuthenticationException ex) {
			return "error:" + ex.getError().getErrorCode() + ":" + ex.getError().getDescription();
		}
	}

}
