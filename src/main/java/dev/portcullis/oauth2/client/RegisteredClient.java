package dev.portcullis.oauth2.client;

import java.time.Duration;
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
 * @param grantTypes the grants the client may use ({@code refresh_token} is implied by the grants that issue one)
 * @param associatedUserId the user a {@code client_credentials} token acts as, or {@code null} to act as itself
 * @param redirectUris the registered redirect URIs for the authorization code grant
 * @param scopes the scopes the client may ask for; empty means none, as in SuiteCRM
 * @param accessTokenTtl the client's access token lifetime, or {@code null} for the gateway default
 * @param refreshTokenTtl the client's refresh token lifetime, or {@code null} for the gateway default
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-2">RFC 6749 §2</a>
 */
public record RegisteredClient(String id, String name, @Nullable String secretHash, boolean confidential,
		Set<GrantType> grantTypes, @Nullable String associatedUserId, List<String> redirectUris, Set<String> scopes,
		@Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl) {

	public RegisteredClient {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		grantTypes = Set.copyOf(grantTypes);
		redirectUris = List.copyOf(redirectUris);
		scopes = Set.copyOf(scopes);
	}

	/** Whether the client may use the grant; a refresh is allowed to every client that holds a refresh token. */
	public boolean allows(GrantType grantType) {
		return grantType == GrantType.REFRESH_TOKEN || this.grantTypes.contains(grantType);
	}

	public RegisteredClient withSecretHash(@Nullable String newSecretHash) {
		return new RegisteredClient(this.id, this.name, newSecretHash, this.confidential, this.grantTypes,
				this.associatedUserId, this.redirectUris, this.scopes, this.accessTokenTtl, this.refreshTokenTtl);
	}

}
