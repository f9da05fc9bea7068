package dev.portcullis.oauth2;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;

/**
 * Parses the space-delimited {@code scope} parameter.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-3.3">RFC 6749 §3.3</a>
 */
public final class Scopes {

	/** The scope that lets a token use the admin API. */
	public static final String ADMIN = "admin";

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

	/**
	 * The {@value #ADMIN} scope goes to an active administrator only, or to a client acting as itself (no user),
	 * which the client's own allowed scopes already decide: a client allowed {@code admin} must not hand it to any
	 * user who signs in through it.
	 * @param user the user the tokens act for, or {@code null} for a client acting as itself
	 * @throws OAuth2Exception {@code invalid_scope} naming {@value #ADMIN} otherwise
	 */
	public static Set<String> requireAdminHolder(Set<String> scopes, @Nullable User user) {
		if (scopes.contains(ADMIN) && user != null && !(user.active() && user.admin())) {
			throw OAuth2Exception.invalidScope(ADMIN);
		}
		return scopes;
	}

	/** {@code scopes} without {@value #ADMIN} unless {@code user} may hold it, as {@link #requireAdminHolder} says. */
	public static Set<String> withoutAdminUnlessHolder(Set<String> scopes, @Nullable User user) {
		if (!scopes.contains(ADMIN) || user == null || (user.active() && user.admin())) {
			return scopes;
		}
		Set<String> narrowed = new LinkedHashSet<>(scopes);
		narrowed.remove(ADMIN);
		return Collections.unmodifiableSet(narrowed);
	}

}
