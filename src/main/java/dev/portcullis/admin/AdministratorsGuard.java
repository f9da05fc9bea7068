package dev.portcullis.admin;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The rules that keep an installation administrable, for the API and the pages alike: nobody takes their own
 * administration away (demoting, deactivating or deleting themselves), and the last active administrator stays one.
 * Without them the admin API can be locked for good: only a restart with a bootstrap administrator gets back in.
 */
public final class AdministratorsGuard {

	private final UserStore users;

	public AdministratorsGuard(UserStore users) {
		this.users = users;
	}

	/**
	 * Completes when the change may be made; fails with {@link AdministrationRefusedException} otherwise.
	 * @param actorId who asks: a user id, or a client id for a client acting as itself
	 * @param current the user as stored
	 * @param changed the user as it would be stored, or {@code null} for a deletion
	 */
	public Mono<Void> checkChange(String actorId, User current, @Nullable User changed) {
		boolean wasAdministrator = current.admin() && current.active();
		boolean staysAdministrator = changed != null && changed.admin() && changed.active();
		if (!wasAdministrator || staysAdministrator) {
			return Mono.empty();
		}
		if (current.id().equals(actorId)) {
			return Mono.error(new AdministrationRefusedException((changed == null) ? "You cannot delete yourself."
					: "You cannot deactivate yourself or take away your own administration."));
		}
		// @formatter:off
		return this.users.findAll()
				.filter((user) -> user.admin() && user.active() && !user.id().equals(current.id()))
				.hasElements()
				.flatMap((others) -> others ? Mono.<Void>empty()
						: Mono.error(new AdministrationRefusedException("'" + current.username()
								+ "' is the last active administrator: make another user one first.")));
		// @formatter:on
	}

}
