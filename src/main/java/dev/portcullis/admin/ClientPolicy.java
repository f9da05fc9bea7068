package dev.portcullis.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.support.LoopbackHosts;
import org.jspecify.annotations.Nullable;

/**
 * What makes a client valid, in one place for every adapter (bootstrap, the JSON API, the pages): each check reads
 * one field, puts what is wrong under that field's name in {@code problems} and returns the value to store. The
 * adapters only report the problems in their own way (a failed start, a 400 with {@code fields}, a form).
 */
public final class ClientPolicy {

	/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
	private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	/** Short enough for SuiteCRM's documented {@code client_secret} and a demo; shorter than 16 draws a warning. */
	public static final int MIN_SECRET_LENGTH = 8;

	public static final int RECOMMENDED_SECRET_LENGTH = 16;

	public static final int MAX_SECRET_LENGTH = 512;

	/**
	 * Caps that keep a token small: every granted scope is in the access token and in the identity header the
	 * backend gets, and a client request's headers must fit the gateway's 8 KB.
	 */
	public static final int MAX_SCOPES = 50;

	public static final int MAX_SCOPE_LENGTH = 64;

	public static final int MAX_REDIRECT_URIS = 20;

	public static final int MAX_NAME_LENGTH = 200;

	public static final Duration MAX_TOKEN_TTL = Duration.ofDays(366);

	/** Schemes that run code or read local files in a browser: never a redirect target, whatever the setting. */
	private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "file", "vbscript", "blob",
			"about", "filesystem");

	private final boolean httpRedirectUrisAllowed;

	private final Set<String> backendCredentials;

	/**
	 * A policy for a gateway without backend credentials.
	 * @param httpRedirectUrisAllowed whether plain {@code http} redirect URIs may name hosts other than loopback ones
	 */
	public ClientPolicy(boolean httpRedirectUrisAllowed) {
		this(httpRedirectUrisAllowed, Set.of());
	}

	/**
	 * @param httpRedirectUrisAllowed whether plain {@code http} redirect URIs may name hosts other than loopback ones
	 * @param backendCredentials the names of the configured backend credentials
	 * ({@code portcullis.upstream.credentials}), the ones a client may act with
	 */
	public ClientPolicy(boolean httpRedirectUrisAllowed, Set<String> backendCredentials) {
		this.httpRedirectUrisAllowed = httpRedirectUrisAllowed;
		this.backendCredentials = Set.copyOf(backendCredentials);
	}

	public String name(@Nullable String name, Map<String, String> problems) {
		if (name == null || name.isBlank()) {
			problems.put("name", "must not be blank");
			return "";
		}
		if (name.length() > MAX_NAME_LENGTH) {
			problems.put("name", "must be at most " + MAX_NAME_LENGTH + " characters");
		}
		return name.strip();
	}

	/**
	 * At least one grant that issues tokens. {@code refresh_token} may be listed beside them, as Spring Authorization
	 * Server and Keycloak users write it, and is kept; it grants nothing by itself: password and authorization code
	 * clients get refresh tokens either way (as in SuiteCRM) unless {@link #refreshTokens} turns them off, and client
	 * credentials never issues one, so beside client_credentials alone it is accepted and changes nothing.
	 */
	public Set<GrantType> grantTypes(@Nullable List<String> values, Map<String, String> problems) {
		Set<GrantType> grantTypes = EnumSet.noneOf(GrantType.class);
		if (values == null || values.isEmpty()) {
			problems.put("grantTypes", "must name at least one of client_credentials, password, authorization_code");
			return grantTypes;
		}
		for (String value : values) {
			GrantType.fromValue(String.valueOf(value).strip()).ifPresentOrElse(grantTypes::add,
					() -> problems.put("grantTypes", "unknown grant type '" + value
							+ "' (client_credentials, password, authorization_code, refresh_token)"));
		}
		if (grantTypes.equals(EnumSet.of(GrantType.REFRESH_TOKEN))) {
			problems.put("grantTypes", "refresh_token is not a grant of its own: name password or authorization_code too, "
					+ "the grants that come with refresh tokens");
		}
		return grantTypes;
	}

	/**
	 * The refresh-token setting to store: the requested one, else the current one (on for a new client). Off while
	 * the grants list {@code refresh_token} says two opposite things, and is refused rather than one of them dropped.
	 */
	public boolean refreshTokens(Set<GrantType> grantTypes, @Nullable Boolean requested, boolean current,
			Map<String, String> problems) {
		boolean refreshTokens = (requested != null) ? requested : current;
		if (!refreshTokens && grantTypes.contains(GrantType.REFRESH_TOKEN)) {
			problems.put("refreshTokens", "refresh tokens are off but the grant types list refresh_token: "
					+ "remove refresh_token or turn refresh tokens on");
		}
		return refreshTokens;
	}

	/**
	 * The introspection setting to store: the requested one, else the current one (off for a new client). Only a
	 * confidential client may introspect: the endpoint must know who asks (RFC 7662 §2.1, "the protected resource
	 * MUST authenticate"), and a public client proves nothing. A client made public while the setting is on is refused
	 * rather than the setting dropped without a word.
	 */
	public boolean introspection(boolean confidential, @Nullable Boolean requested, boolean current,
			Map<String, String> problems) {
		boolean introspection = (requested != null) ? requested : current;
		if (introspection && !confidential) {
			problems.put("introspection", "only a confidential client may introspect tokens: it must authenticate "
					+ "with its secret (RFC 7662 §2.1)");
		}
		return introspection;
	}

	/**
	 * The backend credential to store: the requested one ({@code ""} for the route's default), else the current one
	 * ({@code null}, the route's default, for a new client). It must be one of the configured credentials; a current
	 * one removed from the configuration since is kept, so that other changes to the client still go through.
	 */
	public @Nullable String backendCredential(@Nullable String requested, @Nullable String current,
			Map<String, String> problems) {
		if (requested == null) {
			return current;
		}
		String name = requested.strip();
		if (name.isEmpty()) {
			return null;
		}
		if (!this.backendCredentials.contains(name)) {
			problems.put("backendCredential", this.backendCredentials.isEmpty()
					? "'" + name + "' is not a backend credential: none are configured (portcullis.upstream.credentials)"
					: "'" + name + "' is not one of the backend credentials " + new TreeSet<>(this.backendCredentials)
							+ " (portcullis.upstream.credentials); leave it empty for the route's default");
		}
		return name;
	}

	/** The names of the configured backend credentials, in name order. */
	public List<String> backendCredentials() {
		return List.copyOf(new TreeSet<>(this.backendCredentials));
	}

	/**
	 * The signing algorithm to store: the requested one (RS256 or EdDSA, in any case), else the current one (RS256
	 * for a new client, which SuiteCRM's own clients need: league verifies RS256 only).
	 */
	public SigningAlgorithm signingAlgorithm(@Nullable String requested, SigningAlgorithm current,
			Map<String, String> problems) {
		if (requested == null) {
			return current;
		}
		SigningAlgorithm algorithm = SigningAlgorithm.parse(requested.strip());
		if (algorithm == null) {
			problems.put("signingAlgorithm", "signingAlgorithm must be RS256 or EdDSA");
			return current;
		}
		return algorithm;
	}

	/** A typed secret (a generated one is always 256 bits); {@code null} means none was typed. */
	public void secret(@Nullable String secret, Map<String, String> problems) {
		if (secret != null && (secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH)) {
			problems.put("secret", "must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH
					+ " characters (or leave it out to have one generated)");
		}
	}

	/** Whether a valid typed secret is short enough to deserve a warning. */
	public boolean isWeak(@Nullable String secret) {
		return secret != null && secret.length() < RECOMMENDED_SECRET_LENGTH;
	}

	/**
	 * Redirect URIs: absolute, no fragment (RFC 6749 §3.1.2); {@code https}; {@code http} only for a loopback host,
	 * on any port (RFC 8252 §7.3), unless the setting allows it everywhere; a native app's private-use scheme, a
	 * reversed domain name such as {@code com.example.app:/callback} (RFC 8252 §7.1). Never a scheme that runs code
	 * or reads files in the browser the gateway redirects.
	 */
	public List<String> redirectUris(@Nullable List<String> values, Map<String, String> problems) {
		List<String> uris = new ArrayList<>();
		List<String> given = (values != null) ? values : List.of();
		if (given.size() > MAX_REDIRECT_URIS) {
			problems.put("redirectUris", "at most " + MAX_REDIRECT_URIS + " redirect URIs");
			return uris;
		}
		for (String value : given) {
			String problem = redirectUriProblem(value);
			if (problem != null) {
				problems.put("redirectUris", "'" + value + "' " + problem);
			}
			uris.add(value);
		}
		return uris;
	}

	private @Nullable String redirectUriProblem(@Nullable String value) {
		URI uri;
		try {
			uri = new URI(String.valueOf(value));
		}
		catch (URISyntaxException ex) {
			return "is not a URI";
		}
		if (!uri.isAbsolute() || uri.getFragment() != null) {
			return "must be an absolute URI without a fragment";
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (FORBIDDEN_SCHEMES.contains(scheme)) {
			return "uses a scheme that runs code or reads files in the browser";
		}
		if (scheme.equals("https")) {
			return (uri.getHost() == null) ? "must name a host" : null;
		}
		if (scheme.equals("http")) {
			if (uri.getHost() == null) {
				return "must name a host";
			}
			return (this.httpRedirectUrisAllowed || LoopbackHosts.isLoopback(uri.getHost())) ? null
					: "must use https (http only for a loopback host, such as http://127.0.0.1:8400/callback)";
		}
		// RFC 8252 §7.1: "a reverse domain name based scheme", so at least one dot (com.example.app:/callback)
		return scheme.contains(".") ? null
				: "must use https, http on a loopback host, or a native app's reversed-domain scheme "
						+ "(com.example.app:/callback)";
	}

	public Set<String> scopes(@Nullable List<String> values, Map<String, String> problems) {
		Set<String> scopes = new LinkedHashSet<>();
		List<String> given = (values != null) ? values : List.of();
		if (given.size() > MAX_SCOPES) {
			problems.put("scopes", "at most " + MAX_SCOPES + " scopes");
			return scopes;
		}
		for (String value : given) {
			if (value == null || !SCOPE_TOKEN.matcher(value).matches() || value.length() > MAX_SCOPE_LENGTH) {
				problems.put("scopes", "'" + value + "' is not a scope (1 to " + MAX_SCOPE_LENGTH
						+ " printable ASCII characters without spaces, quotes or backslashes)");
			}
			else {
				scopes.add(value);
			}
		}
		return scopes;
	}

	/** A client's own token lifetime: up to P366D, or zero ({@code PT0S}) for the gateway's default. */
	public void tokenTtl(String field, @Nullable Duration ttl, Map<String, String> problems) {
		if (ttl != null && (ttl.isNegative() || ttl.compareTo(MAX_TOKEN_TTL) > 0)) {
			problems.put(field, "must be an ISO-8601 duration between PT1S and P366D, or PT0S for the gateway's default");
		}
	}

	/**
	 * The lifetime to store: {@code null} (the gateway's default) for a requested zero, the current one when none is
	 * requested, else the requested one. Without the zero, a lifetime once set could never go back to the default.
	 */
	public static @Nullable Duration storedTtl(@Nullable Duration requested, @Nullable Duration current) {
		if (requested == null) {
			return current;
		}
		return requested.isZero() ? null : requested;
	}

	/**
	 * Input that means nothing for the grants chosen is refused rather than dropped without a word, so what an
	 * administrator typed is what is kept: redirect URIs are only for {@code authorization_code}, an associated user
	 * only for {@code client_credentials}. For new clients: existing ones may carry such fields from before.
	 */
	public void fieldsForTheGrants(Set<GrantType> grantTypes, List<String> redirectUris,
			@Nullable String associatedUser, Map<String, String> problems) {
		if (!redirectUris.isEmpty() && !grantTypes.contains(GrantType.AUTHORIZATION_CODE)) {
			problems.put("redirectUris", "only an authorization_code client has redirect URIs: leave this empty");
		}
		if (associatedUser != null && !associatedUser.isBlank() && !grantTypes.contains(GrantType.CLIENT_CREDENTIALS)) {
			problems.put("associatedUser", "only a client_credentials client acts as a user: leave this empty");
		}
	}

	/** The rules that join fields: RFC 6749 §4.4, a code client needs somewhere to send its codes. */
	public void combination(Set<GrantType> grantTypes, boolean confidential, List<String> redirectUris,
			Map<String, String> problems) {
		if (grantTypes.contains(GrantType.CLIENT_CREDENTIALS) && !confidential) {
			problems.put("confidential", "client_credentials is only for confidential clients (RFC 6749 §4.4)");
		}
		if (grantTypes.contains(GrantType.AUTHORIZATION_CODE) && redirectUris.isEmpty()) {
			problems.put("redirectUris", "an authorization_code client needs at least one redirect URI");
		}
	}

}
