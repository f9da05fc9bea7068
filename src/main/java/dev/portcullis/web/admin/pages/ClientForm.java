package dev.portcullis.web.admin.pages;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.portcullis.web.admin.ClientView;
import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;

/**
 * The client form, new or edit, as the page shows it: the kind chosen on a new client, the grants ticked on an
 * existing one, the lists as the text typed (one redirect URI a line, scopes separated by spaces or commas), the
 * lifetimes as typed, the signing algorithm as chosen ({@code ""} from an older page without the select). The secret
 * is never shown again.
 */
public record ClientForm(String name, String kind, List<String> grantTypes, boolean confidential,
		String associatedUser, String redirectUris, String scopes, String accessTokenTtl, String refreshTokenTtl,
		boolean refreshTokens, boolean introspection, String backendCredential, String signingAlgorithm) {

	/** The kinds of client the pages offer, as SuiteCRM's panel does. */
	static final List<String> KINDS = List.of("client_credentials", "password", "authorization_code");

	/** A new client's form: confidential client credentials, as SuiteCRM's form starts. */
	static ClientForm blank() {
		return new ClientForm("", "client_credentials", List.of(), true, "", "", "", "", "", true, false, "",
				"RS256");
	}

	/** The edit form of a client as it is. */
	/** @param associatedUsername the associated user's username, or {@code null} to show its id (a user deleted since) */
	static ClientForm of(ClientView client, @Nullable String associatedUsername) {
		String associatedUser = (associatedUsername != null) ? associatedUsername
				: (client.associatedUser() != null) ? client.associatedUser() : "";
		return new ClientForm(client.name(), "", client.grantTypes(), client.confidential(), associatedUser,
				String.join("\n", client.redirectUris()),
				String.join(" ", client.scopes()), orEmpty(client.accessTokenTtl()), orEmpty(client.refreshTokenTtl()),
				client.refreshTokens(), client.introspection(), orEmpty(client.backendCredential()),
				client.signingAlgorithm());
	}

	/** The form as posted (an unticked checkbox is not sent). */
	static ClientForm read(MultiValueMap<String, String> data) {
		List<String> grantTypes = (data.get("grantTypes") != null) ? List.copyOf(data.get("grantTypes")) : List.of();
		return new ClientForm(AdminPageSupport.value(data, "name"), AdminPageSupport.value(data, "kind"), grantTypes,
				data.containsKey("confidential"), AdminPageSupport.value(data, "associatedUser"),
				AdminPageSupport.value(data, "redirectUris"), AdminPageSupport.value(data, "scopes"),
				AdminPageSupport.value(data, "accessTokenTtl"), AdminPageSupport.value(data, "refreshTokenTtl"),
				!Boolean.FALSE.equals(refreshTokensSent(data)), data.containsKey("introspection"),
				AdminPageSupport.value(data, "backendCredential"), AdminPageSupport.value(data, "signingAlgorithm"));
	}

	/**
	 * The refresh tokens checkbox, which the form marks with a hidden {@code _refreshTokens} field as Spring MVC's data
	 * binder does: ticked is true, marked but not ticked false, and {@code null} when the form had no box (an older
	 * page), which leaves the setting as it is.
	 */
	static @Nullable Boolean refreshTokensSent(MultiValueMap<String, String> data) {
		if (data.containsKey("refreshTokens")) {
			return true;
		}
		return data.containsKey("_refreshTokens") ? false : null;
	}

	/**
	 * The introspection checkbox, marked with a hidden {@code _introspection} field as the refresh tokens box is:
	 * {@code null} when the form had no box (an older page), which leaves the setting as it is.
	 */
	static @Nullable Boolean introspectionSent(MultiValueMap<String, String> data) {
		if (data.containsKey("introspection")) {
			return true;
		}
		return data.containsKey("_introspection") ? false : null;
	}

	/**
	 * The backend credential chosen: {@code ""} for the route's default, {@code null} when the form had no select
	 * (the gateway has no backend credentials, or an older page), which leaves the setting as it is.
	 */
	static @Nullable String backendCredentialSent(MultiValueMap<String, String> data) {
		return data.containsKey("backendCredential") ? AdminPageSupport.value(data, "backendCredential").strip() : null;
	}

	/** The grants to save: the box stands for refresh_token too, kept while the client's refresh tokens stay on. */
	List<String> grantTypesKept(ClientView client, @Nullable Boolean refreshTokens) {
		List<String> grantTypes = new ArrayList<>(this.grantTypes);
		if (!Boolean.FALSE.equals(refreshTokens) && client.grantTypes().contains("refresh_token")) {
			grantTypes.add("refresh_token");
		}
		return grantTypes;
	}

	/**
	 * The associated user to save: left as the edit form showed it ({@code shown}), the user the client acts as now,
	 * not whoever has that name by now (renamed meanwhile, or a username written like another user's id).
	 */
	String associatedUserKept(ClientView client, String shown) {
		String typed = this.associatedUser.strip();
		return (!shown.isEmpty() && typed.equals(shown) && client.associatedUser() != null) ? client.associatedUser() : typed;
	}

	List<String> redirectUriList() {
		return this.redirectUris.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
	}

	List<String> scopeList() {
		return Arrays.stream(this.scopes.split("[\\s,]+")).filter((word) -> !word.isEmpty()).toList();
	}

	/**
	 * A lifetime typed as seconds or ISO-8601; {@code null} when empty, or zero (the gateway's default) when
	 * {@code emptyIsDefault}: a form that shows every field means the default again when one is emptied.
	 */
	static @Nullable Duration duration(String field, String value, boolean emptyIsDefault, Map<String, String> problems) {
		if (value.isBlank()) {
			return emptyIsDefault ? Duration.ZERO : null;
		}
		try {
			return value.strip().chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(value.strip()))
					: Duration.parse(value.strip().toUpperCase(Locale.ROOT));
		}
		catch (DateTimeParseException | NumberFormatException ex) {
			problems.put(field, "must be a number of seconds or an ISO-8601 duration such as PT1H");
			return null;
		}
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

}
