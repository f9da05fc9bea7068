package dev.portcullis.oauth2.grant;

import java.util.Objects;
import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.Scopes;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Whether what a grant issued is still allowed, asked once the grant is stored: the client and the user are read at
 * the start of a token request, and an administrator narrowing or deleting them, or deactivating the user, in the
 * meantime ends the grants it finds, but not one stored after it looked. Each side writes before it reads, so one of
 * the two always sees the other: the administrator finds the grant, or this finds the change.
 *
 * <p>The client a request starts with may be one a replica remembered ({@code ClientStore#findRecentById}): besides
 * allowing the grant, the stored client must still act as the same user, so that a token is never issued as a user
 * the client no longer acts as, however short the memory. (A rotated secret is not compared: the secret a sign-in
 * rehashes changes its hash too; a replica forgets a client as soon as its change is announced.)
 */
@FunctionalInterface
public interface GrantRecheck {

	/**
	 * @param issuedTo the client as it was when the request started
	 * @param userId the grant's user, or {@code null} for a client acting as itself
	 */
	Mono<Boolean> stillAllows(RegisteredClient issuedTo, @Nullable String userId, GrantType grantType,
			Set<String> scopes);

	/** Reads the client and the user again from the stores. */
	static GrantRecheck fromStores(ClientStore clients, UserStore users) {
		return (issuedTo, userId, grantType, scopes) -> {
			// @formatter:off
			Mono<Boolean> client = clients.findById(issuedTo.id())
					.map((now) -> now.grantTypes().contains(grantType) && now.scopes().containsAll(scopes)
							&& (now.confidential() || !issuedTo.confidential())
							&& Objects.equals(now.associatedUserId(), issuedTo.associatedUserId()))
					.defaultIfEmpty(false);
			if (userId == null) {
				return client;
			}
			return client.filter(Boolean::booleanValue)
					.flatMap((allowed) -> users.findById(userId)
							.map((user) -> user.active() && (!scopes.contains(Scopes.ADMIN) || user.admin()))
							.defaultIfEmpty(false))
					.defaultIfEmpty(false);
			// @formatter:on
		};
	}

}
