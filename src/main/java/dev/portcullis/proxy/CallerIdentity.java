package dev.portcullis.proxy;

import java.util.List;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling, as the verified token says, kept on the exchange between the moment the principal is known and
 * the moment the backend request's headers are built ({@link BackendRequestHeadersFilter}).
 *
 * @param subject the token's {@code sub}
 * @param clientId the token's {@code client_id}, or {@code null} when it has none
 * @param scopes the token's scopes, space-separated
 */
record CallerIdentity(String subject, @Nullable String clientId, String scopes) {

	static final String ATTRIBUTE = CallerIdentity.class.getName();

	static CallerIdentity of(Jwt token) {
		return new CallerIdentity(token.getSubject(), token.getClaimAsString("client_id"), scopes(token));
	}

	/**
	 * The {@code scopes} array Portcullis writes, joined as is: {@code getClaimAsStringList} took a conversion-service
	 * lookup for the same answer, ~2 µs of every proxied request (bench/profile.sh proxy). Anything else goes through it.
	 */
	private static String scopes(Jwt token) {
		Object claim = token.getClaims().get("scopes");
		if (claim instanceof List<?> list) {
			StringJoiner joined = new StringJoiner(" ");
			for (Object scope : list) {
				// as the conversion did: no element for a null
				if (scope != null) {
					joined.add(scope.toString());
				}
			}
			return joined.toString();
		}
		List<String> scopes = token.getClaimAsStringList("scopes");
		return (scopes != null) ? String.join(" ", scopes) : "";
	}

	/** Keeps the caller of a verified bearer token on the exchange; any other principal leaves it without one. */
	static void remember(ServerWebExchange exchange, Object principal) {
		if (principal instanceof JwtAuthenticationToken token) {
			exchange.getAttributes().put(ATTRIBUTE, of(token.getToken()));
		}
	}

	static @Nullable CallerIdentity of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

}
