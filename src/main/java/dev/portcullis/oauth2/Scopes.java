package dev.portcullis.oauth2;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Parses the space-delimited {@code scope} parameter.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-3.3">RFC 6749 §3.3</a>
 */
public final class Scopes {

	private Scopes() {
	}

	/** The requested scopes in request order, without duplicates; empty when the parameter is absent or blank. */
	public static Set<String> parse(@Nullable String scope) {
		if (scope == null || scope.isBlank()) {
			return Set.of();
		}
		Set<String> scopes = new LinkedHashSet<>();
		Arrays.stream(scope.trim().split(" ")).filter((s) -> !s.isEmpty()).forEach(scopes::add);
		return Collections.unmodifiableSet(scopes);
	}

	/**
	 * Checks that every requested scope is allowed and returns the granted set.
	 * @throws OAuth2Exception {@code invalid_scope} naming the first scope that is not allowed
	 */
	public static Set<String> requireAllowed(Set<String> requested, Set<String> allowed) {
		for (String scope : requested) {
			if (!allowed.contains(scope)) {
				throw OAuth2Exception.invalidScope(scope);
			}
		}
		return requested;
	}

}
