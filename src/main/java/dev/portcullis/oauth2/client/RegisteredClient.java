package dev.portcullis.oauth2.client;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth2 client as an administrator registered it: SuiteCRM's {@code oauth2clients} row, with a slow hash in
 * place of the unsalted SHA-256 and with several grant types and scopes allowed.
 *
 * @param id the {@code client_id}
 * @param name a label for people
 * @param secretHash the secret's password hash, {@code null} for a public client that has no secret
 * @param confidential whether the client can keep a secret; {@code client_credentials} requires it
 * @param grantTypes the grants the client may use; {@code refresh_token} may be listed, as Spring Authorization Server
 * and Keycloak users write it, but it changes nothing: whether a refresh is allowed is {@link #issuesRefreshTokens()}
 * @param associatedUserId the user a {@code client_credentials} token acts as, or {@code null} to act as itself
 * @param redirectUris the registered redirect URIs for the authorization code grant
 * @param scopes the scopes the client may ask for; empty means none, as in SuiteCRM
 * @param tokenSettings the lifetimes of the client's tokens and whether it gets refresh tokens
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-2">RFC 6749 §2</a>
 */
public record RegisteredClient(String id, String name, @Nullable String secretHash, boolean confidential,
		Set<GrantType> grantTypes, @Nullable String associatedUserId, List<String> redirectUris, Set<String> scopes,
		ClientTokenSettings tokenSettings) {

	public RegisteredClient {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(tokenSettings, "tokenSettings");
		grantTypes = Set.copyOf(grantTypes);
		redirectUris = List.copyOf(redirectUris);
		scopes = Set.copyOf(scopes);
	}

	/** A client with {@link ClientTokenSettings#defaults() the default token settings}. */
	public RegisteredClient(String id, String name, @Nullable String secretHash, boolean confidential,
			Set<GrantType> grantTypes, @Nullable String associatedUserId, List<String> redirectUris, Set<String> scopes) {
		this(id, name, secretHash, confidential, grantTypes, associatedUserId, redirectUris, scopes,
				ClientTokenSettings.defaults());
	}

	/**
	 * Whether the client's grants come with a refresh token, and so whether it may use the refresh token grant:
	 * password and authorization code do unless the setting turns them off; client credentials never does, as in
	 * SuiteCRM (RFC 6749 §4.4.3: "A refresh token SHOULD NOT be included").
	 */
	public boolean issuesRefreshTokens() {
		return this.tokenSettings.refreshTokens()
				&& (this.grantTypes.contains(GrantType.PASSWORD) || this.grantTypes.contains(GrantType.AUTHORIZATION_CODE));
	}

	/**
	 * Whether the client may use the grant. A refresh passes here for every client, as in league, so that the refresh
	 * grant itself answers a client without refresh tokens with {@code unauthorized_client}.
	 */
	public boolean allows(GrantType grantType) {
		return grantType == GrantType.REFRESH_TOKEN || this.grantTypes.contains(grantType);
	}

	public RegisteredClient withSecretHash(@Nullable String newSecretHash) {
		return new RegisteredClient(this.id, this.name, newSecretHash, this.confidential, this.grantTypes,
				this.associatedUserId, this.redirectUris, this.scopes, this.tokenSettings);
	}

}
