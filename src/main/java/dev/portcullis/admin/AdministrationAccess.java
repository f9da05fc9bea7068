package dev.portcullis.admin;

import java.util.Set;

import dev.portcullis.oauth2.Scopes;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import reactor.core.publisher.Mono;

/**
 * Who may administer the gateway, answered from the stores on every request rather than remembered from a login, so
 * that a demoted, deactivated or deleted administrator's next request is refused at every replica.
 */
public final class AdministrationAccess {

	private final UserStore users;

	private final ClientStore clients;

	public AdministrationAccess(UserStore users, ClientStore clients) {
		this.users = users;
		this.clients = clients;
	}

	/** Whether the user exists, is active and is an administrator. */
	public Mono<Boolean> isActiveAdministrator(String userId) {
		return this.users.findById(userId).map(AdministrationAccess::isActiveAdministrator).defaultIfEmpty(false);
	}

	/**
	 * Whether an access token may use the admin API: it carries the {@code admin} scope, its client still exists and
	 * is still allowed that scope, and it acts either for the client itself ({@code sub} is the client id and the
	 * client has no associated user) or for a user who is an active administrator.
	 */
	public Mono<Boolean> mayAdministerWithToken(String clientId, String subject, Set<String> scopes) {
		if (!scopes.contains(Scopes.ADMIN)) {
			return Mono.just(false);
		}
		// @formatter:off
		return this.clients.findById(clientId)
				.filter((client) -> client.scopes().contains(Scopes.ADMIN))
				.flatMap((client) -> (subject.equals(client.id()) && client.associatedUserId() == null)
						? Mono.just(true) : isActiveAdministrator(subject))
				.defaultIfEmpty(false);
		// @formatter:on
	}

	private static boolean isActiveAdministrator(User user) {
		return user.active() && user.admin();
	}

}
