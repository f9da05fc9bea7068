package dev.portcullis.proxy;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The bearer token from the {@code Authorization} header (RFC 6750 §2.1), answering exactly as Spring Security's
 * {@code ServerBearerTokenAuthenticationConverter} does with its defaults (no query or form parameter): nothing
 * for another scheme, the token for {@code Bearer <b64token>} in any case, "Bearer token is malformed" for anything
 * else. It checks the syntax with a loop instead of a regular expression and reads one source instead of merging
 * three, which was a tenth of the CPU of a proxied request (the token is ~800 characters).
 */
public final class AuthorizationHeaderBearerTokenConverter implements ServerAuthenticationConverter {

	private static final String SCHEME = "Bearer ";

	@Override
	public Mono<Authentication> convert(ServerWebExchange exchange) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length() - 1)) {
			return Mono.empty();
		}
		String token = b64token(authorization);
		if (token == null) {
			return Mono.error(new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed")));
		}
		return Mono.just(new BearerTokenAuthenticationToken(token));
	}

	/** {@code Bearer 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}, or null. */
	static @Nullable String b64token(String authorization) {
		int start = SCHEME.length();
		if (authorization.length() <= start || !authorization.regionMatches(true, 0, SCHEME, 0, start)) {
			return null;
		}
		int i = start;
		while (i < authorization.length() && isTokenCharacter(authorization.charAt(i))) {
			i++;
		}
		if (i == start) {
			return null;
		}
		while (i < authorization.length() && authorization.charAt(i) == '=') {
			i++;
		}
		return (i == authorization.length()) ? authorization.substring(start) : null;
	}

	private static boolean isTokenCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~' || c == '+' || c == '/';
	}

}
