package dev.portcullis.oauth2.user;

import java.util.Locale;
import java.util.Objects;

/**
 * A Portcullis user, the resource owner of the password and authorization code grants.
 *
 * @param id the stable id, the {@code sub} of the user's tokens
 * @param username the login name, unique when compared case-insensitively (as SuiteCRM's MySQL collation does)
 * @param passwordHash the password's slow hash
 * @param active inactive users get no tokens
 * @param admin whether the user may administer the gateway
 */
public record User(String id, String username, String passwordHash, boolean active, boolean admin) {

	public User {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(username, "username");
		Objects.requireNonNull(passwordHash, "passwordHash");
	}

	/** The form under which usernames are compared and indexed. */
	public static String normalize(String username) {
		return username.toLowerCase(Locale.ROOT);
	}

}
