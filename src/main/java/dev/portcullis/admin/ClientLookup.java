package dev.portcullis.admin;

import java.util.List;

import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import reactor.core.publisher.Mono;

/**
 * Finds the client an administrator names: by id, as links and the API give it, or by its name, as people write it
 * (compared ignoring case). Names need not be unique: a name that several clients share finds none of them, and the
 * answer asks for the id. The id wins when both match.
 */
public final class ClientLookup {

	private final ClientStore clients;

	public ClientLookup(ClientStore clients) {
		this.clients = clients;
	}

	/**
	 * The client with this id or name; empty if there is none; {@link InvalidFieldsException} (on {@code field}) when
	 * several clients have the name.
	 */
	public Mono<RegisteredClient> find(String idOrName, String field) {
		// @formatter:off
		return this.clients.findById(idOrName)
				.switchIfEmpty(Mono.defer(() -> this.clients.findAll()
						.filter((client) -> client.name().equalsIgnoreCase(idOrName))
						.take(2)
						.collectList()
						.flatMap((named) -> single(named, idOrName, field))));
		// @formatter:on
	}

	private static Mono<RegisteredClient> single(List<RegisteredClient> named, String name, String field) {
		if (named.size() > 1) {
			return Mono.error(new InvalidFieldsException(field,
					"names several clients called '" + name + "': give the client id"));
		}
		return Mono.justOrEmpty(named.isEmpty() ? null : named.get(0));
	}

}
