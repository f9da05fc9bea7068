package dev.portcullis.admin;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The names people know clients and users by, for lists that hold only their ids: a page collects the ids it shows
 * and looks each one up once, however many rows name it.
 */
public final class Names {

	private final ClientStore clients;

	private final UserStore users;

	public Names(ClientStore clients, UserStore users) {
		this.clients = clients;
		this.users = users;
	}

	/** Client names and usernames by id; an id that names nothing (deleted since) is left out. */
	public record Found(Map<String, String> clientNames, Map<String, String> usernames) {

		public static final Found NONE = new Found(Map.of(), Map.of());

		public Found {
			clientNames = Map.copyOf(clientNames);
			usernames = Map.copyOf(usernames);
		}

		public @Nullable String clientName(String clientId) {
			return this.clientNames.get(clientId);
		}

		public @Nullable String username(@Nullable String userId) {
			return (userId != null) ? this.usernames.get(userId) : null;
		}

	}

	/**
	 * The names of these clients and users (a {@code null} user id is a client acting as itself): one store call per
	 * distinct id.
	 */
	public Mono<Found> of(Collection<String> clientIds, Collection<@Nullable String> userIds) {
		// @formatter:off
		Mono<Map<String, String>> clientNames = Flux.fromIterable(clientIds).distinct()
				.flatMap(this.clients::findById)
				.collectMap(RegisteredClient::id, RegisteredClient::name);
		Mono<Map<String, String>> usernames = Flux.fromStream(userIds.stream().filter(Objects::nonNull).distinct())
				.flatMap(this.users::findById)
				.collectMap(User::id, User::username);
		// @formatter:on
		return Mono.zip(clientNames, usernames, Found::new);
	}

	/** The username of this user, if there is one. */
	public Mono<String> username(String userId) {
		return this.users.findById(userId).map(User::username);
	}

}
