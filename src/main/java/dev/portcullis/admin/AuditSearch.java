package dev.portcullis.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reading the audit log, for the JSON API and the pages alike: the kept entries (at most {@link AuditLog#CAPACITY})
 * filtered by actor, action, object and time, a page at a time, and the names of the users and clients the entries
 * concern. Actors and objects are stored as ids; a filter also takes a username or a client's name.
 */
public final class AuditSearch {

	private final AuditLog audit;

	private final ClientStore clients;

	private final UserStore users;

	public AuditSearch(AuditLog audit, ClientStore clients, UserStore users) {
		this.audit = audit;
		this.clients = clients;
		this.users = users;
	}

	/**
	 * What to look for, as typed; a blank field matches every entry.
	 *
	 * @param actor who made the change: a username, a client's name, or an id
	 * @param action an action ({@code client.updated}) or its first part ({@code client})
	 * @param object what was changed: a username, a client's name, or an id (of a token, a code, ...)
	 * @param from the first day ({@code 2026-01-31}, UTC) or instant ({@code 2026-01-31T10:15:30Z}), inclusive
	 * @param to the last day or instant, inclusive
	 */
	public record AuditFilter(@Nullable String actor, @Nullable String action, @Nullable String object,
			@Nullable String from, @Nullable String to) {

		public AuditFilter {
			actor = blankToNull(actor);
			action = blankToNull(action);
			object = blankToNull(object);
			from = blankToNull(from);
			to = blankToNull(to);
		}

		public static AuditFilter none() {
			return new AuditFilter(null, null, null, null, null);
		}

		public boolean isEmpty() {
			return this.actor == null && this.action == null && this.object == null && this.from == null
					&& this.to == null;
		}

		private static @Nullable String blankToNull(@Nullable String value) {
			return (value == null || value.isBlank()) ? null : value.strip();
		}

	}

	/**
	 * An entry with the names of who made it and of what it changed, while they exist.
	 *
	 * @param actorKind {@code user}, or {@code client} for a client acting as itself, while it exists; else
	 * {@code null}
	 * @param actorName the user's username or the client's name
	 * @param objectKind {@code client} or {@code user} when the object is one that still exists, else {@code null}
	 * @param objectName its name or username
	 */
	public record NamedEvent(AuditEvent event, @Nullable String actorKind, @Nullable String actorName,
			@Nullable String objectKind, @Nullable String objectName) {
	}

	/**
	 * Up to {@code limit} of the entries that match, newest first, after the newest {@code offset} of them, and how
	 * many match. {@link InvalidFieldsException} naming {@code from} or {@code to} for a time that is not one.
	 */
	public Mono<Listing<AuditEvent>> search(AuditFilter filter, int offset, int limit) {
		return Mono.defer(() -> {
			Map<String, String> problems = new LinkedHashMap<>();
			Instant from = instant("from", filter.from(), false, problems);
			Instant to = instant("to", filter.to(), true, problems);
			if (from != null && to != null && to.isBefore(from)) {
				problems.put("to", "must not be before from");
			}
			InvalidFieldsException.check(problems);
			if (filter.isEmpty()) {
				return Listing.of(this.audit.recent(offset, limit), this.audit.count());
			}
			String action = (filter.action() != null) ? filter.action().toLowerCase(Locale.ROOT) : null;
			// @formatter:off
			return ids(filter.actor()).zipWith(ids(filter.object()))
					.flatMap((ids) -> this.audit.recent(0, AuditLog.CAPACITY)
							.filter((event) -> (ids.getT1().isEmpty() || ids.getT1().contains(event.actor()))
									&& (ids.getT2().isEmpty() || ids.getT2().contains(event.target()))
									&& (action == null || event.action().equals(action) || event.action().startsWith(action + "."))
									&& (from == null || !event.at().isBefore(from))
									&& (to == null || !event.at().isAfter(to)))
							.collectList())
					.map((matching) -> new Listing<>(matching.subList(Math.min(offset, matching.size()),
							Math.min(offset + limit, matching.size())), matching.size()));
			// @formatter:on
		});
	}

	/** The entries with the names of their actors and objects, in the same order. */
	public Mono<List<NamedEvent>> named(List<AuditEvent> events) {
		// @formatter:off
		return Flux.fromIterable(events)
				.concatMap((event) -> Mono.zip(name(event.actor()), name(event.target()))
						.map((names) -> new NamedEvent(event, names.getT1().kind(), names.getT1().name(),
								names.getT2().kind(), names.getT2().name())))
				.collectList();
		// @formatter:on
	}

	private record Name(@Nullable String kind, @Nullable String name) {
	}

	/** A client's name or a user's username for an id; neither for an id of something else, or gone. */
	private Mono<Name> name(String id) {
		// @formatter:off
		return this.clients.findById(id).map((client) -> new Name("client", client.name()))
				.switchIfEmpty(Mono.defer(() -> this.users.findById(id).map((user) -> new Name("user", user.username()))))
				.defaultIfEmpty(new Name(null, null));
		// @formatter:on
	}

	/** The ids a filter's text stands for: itself, the user with that username and the clients with that name. */
	private Mono<Set<String>> ids(@Nullable String text) {
		if (text == null) {
			return Mono.just(Set.of());
		}
		// @formatter:off
		return this.users.findByUsername(text).map(User::id)
				.concatWith(this.clients.findAll().filter((client) -> client.name().equalsIgnoreCase(text)).map(RegisteredClient::id))
				.collect(() -> new HashSet<>(Set.of(text)), Set::add);
		// @formatter:on
	}

	private static @Nullable Instant instant(String field, @Nullable String text, boolean endOfDay,
			Map<String, String> problems) {
		if (text == null) {
			return null;
		}
		try {
			if (text.length() == 10) {
				LocalDate day = LocalDate.parse(text);
				return endOfDay ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1)
						: day.atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			problems.put(field, "must be a day (2026-01-31, UTC) or an instant (2026-01-31T10:15:30Z)");
			return null;
		}
	}

}
