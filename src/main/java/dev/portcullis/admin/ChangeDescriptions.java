package dev.portcullis.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.ClientTokenSettings;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;

/**
 * What an administrative change changed, in words for the audit log: "Updated user 'frank'" alone did not say that
 * frank became an administrator. Secrets and password hashes are never described, only that they changed.
 */
public final class ChangeDescriptions {

	private ChangeDescriptions() {
	}

	/** For example {@code Updated user 'frank': made an administrator, deactivated}. */
	public static String ofUser(User before, User after, boolean passwordReset) {
		List<String> changes = new ArrayList<>();
		if (!before.username().equals(after.username())) {
			changes.add("username '" + before.username() + "' → '" + after.username() + "'");
		}
		if (before.admin() != after.admin()) {
			changes.add(after.admin() ? "made an administrator" : "no longer an administrator");
		}
		if (before.active() != after.active()) {
			changes.add(after.active() ? "activated" : "deactivated");
		}
		if (passwordReset) {
			changes.add("password reset");
		}
		return "Updated user '" + after.username() + "'" + listed(changes);
	}

	/** For example {@code Updated client 'CRM': grant types [password] → [authorization_code, password]}. */
	public static String ofClient(RegisteredClient before, RegisteredClient after) {
		List<String> changes = new ArrayList<>();
		if (!before.name().equals(after.name())) {
			changes.add("name '" + before.name() + "' → '" + after.name() + "'");
		}
		if (before.confidential() != after.confidential()) {
			changes.add(after.confidential() ? "made confidential" : "made public (its secret removed)");
		}
		compare(changes, "grant types", before.grantTypes().stream().map(GrantType::value).toList(),
				after.grantTypes().stream().map(GrantType::value).toList());
		compare(changes, "redirect URIs", before.redirectUris(), after.redirectUris());
		compare(changes, "scopes", before.scopes(), after.scopes());
		if (!Objects.equals(before.associatedUserId(), after.associatedUserId())) {
			changes.add("associated user " + orNone(before.associatedUserId()) + " → " + orNone(after.associatedUserId()));
		}
		ClientTokenSettings was = before.tokenSettings();
		ClientTokenSettings is = after.tokenSettings();
		compareTtl(changes, "access token lifetime", was.accessTokenTtl(), is.accessTokenTtl());
		compareTtl(changes, "refresh token lifetime", was.refreshTokenTtl(), is.refreshTokenTtl());
		if (was.refreshTokens() != is.refreshTokens()) {
			changes.add(is.refreshTokens() ? "refresh tokens turned on" : "refresh tokens turned off");
		}
		if (was.introspection() != is.introspection()) {
			changes.add(is.introspection() ? "token introspection allowed" : "token introspection no longer allowed");
		}
		if (!Objects.equals(was.backendCredential(), is.backendCredential())) {
			changes.add("backend credential " + orRouteDefault(was.backendCredential()) + " → "
					+ orRouteDefault(is.backendCredential()) + " (its grants end, so that no token acts with the old one)");
		}
		if (was.signingAlgorithm() != is.signingAlgorithm()) {
			changes.add("signing algorithm " + was.signingAlgorithm() + " → " + is.signingAlgorithm());
		}
		return "Updated client '" + after.name() + "'" + listed(changes);
	}

	private static void compare(List<String> changes, String what, Collection<String> before, Collection<String> after) {
		TreeSet<String> was = new TreeSet<>(before);
		TreeSet<String> is = new TreeSet<>(after);
		if (!was.equals(is)) {
			changes.add(what + " " + was + " → " + is);
		}
	}

	private static void compareTtl(List<String> changes, String what, @Nullable Duration before,
			@Nullable Duration after) {
		if (!Objects.equals(before, after)) {
			changes.add(what + " " + orDefault(before) + " → " + orDefault(after));
		}
	}

	private static String orRouteDefault(@Nullable String credential) {
		return (credential != null) ? "'" + credential + "'" : "route default";
	}

	private static String orNone(@Nullable String id) {
		return (id != null) ? id : "none";
	}

	private static String orDefault(@Nullable Duration ttl) {
		return (ttl != null) ? ttl.toString() : "the default";
	}

	private static String listed(List<String> changes) {
		return changes.isEmpty() ? " (nothing changed)" : ": " + String.join(", ", changes);
	}

}
