package dev.portcullis.store.redis;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.oauth2.user.User;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Users in Redis: each user's JSON, each normalized username pointing at its user's id, and a set of user ids so
 * that {@link #findAll()} needs no scan. Every user key has the hash tag {@code {users}}, so that one Lua script
 * can check the username, free a renamed or deleted user's name and write all the keys atomically, on a cluster
 * too.
 */
public class RedisUserStore implements UserStore {

	private static final RedisScript<String> SAVE = RedisScripts.load("user-save", String.class);

	private static final RedisScript<String> DELETE = RedisScripts.load("user-delete", String.class);

	/** Writes of one user racing each other retry this often before giving up. */
	private static final int MAX_WRITE_ATTEMPTS = 5;

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	public RedisUserStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json) {
		this.redis = redis;
		this.keys = keys;
		this.json = json;
	}

	@Override
	public Mono<User> findById(String id) {
		return this.redis.opsForValue().get(this.keys.user(id)).map(this::read);
	}

	/**
	 * By the normalized name, else, for a user indexed before RFC 8265 and not saved since, by the name lowercased as
	 * it was then (the bootstrap at start saves such users again, see {@code BootstrapRunner}).
	 */
	@Override
	public Mono<User> findByUsername(String username) {
		String normalized = User.normalize(username);
		String legacy = legacyIndexed(username);
		// two reads: a rename between them must not answer with a user who no longer has this name
		// @formatter:off
		return this.redis.opsForValue()
			.get(this.keys.username(normalized))
			.switchIfEmpty(Mono.defer(() -> legacy.equals(normalized) ? Mono.empty()
					: this.redis.opsForValue().get(this.keys.username(legacy))))
			.flatMap(this::findById)
			.filter((user) -> User.normalize(user.username()).equals(normalized));
		// @formatter:on
	}

	@Override
	public Mono<User> save(User user) {
		return retried(Mono.defer(() -> attemptSave(user, null)));
	}

	@Override
	public Flux<User> findAll() {
		// @formatter:off
		return this.redis.opsForSet().members(this.keys.userIds())
			.map(this.keys::user)
			.collectList()
			.filter((userKeys) -> !userKeys.isEmpty())
			// one MGET: every user key has the tag {users}, so they share a slot on a cluster too
			.flatMap((userKeys) -> this.redis.opsForValue().multiGet(userKeys))
			// a user deleted between the two reads is skipped
			.flatMapIterable((values) -> values.stream().filter(Objects::nonNull).map(this::read).toList());
		// @formatter:on
	}

	@Override
	public Mono<Boolean> deleteById(String id) {
		return retried(Mono.defer(() -> attemptDelete(id, null)));
	}

	@Override
	public Mono<User> replace(User expected, User changed) {
		return retried(Mono.defer(() -> attemptSave(changed, expected)));
	}

	@Override
	public Mono<Boolean> delete(User expected) {
		return retried(Mono.defer(() -> attemptDelete(expected.id(), expected)));
	}

	/**
	 * One optimistic attempt. The previous username is read here, in Java, because only Java normalizes usernames
	 * ({@link User#normalize}) and a script must name every key it touches up front; the script then refuses to
	 * write if the user changed since this read. With {@code expected}, nothing is written (empty) unless the user as
	 * read is that one.
	 */
	private Mono<User> attemptSave(User user, @Nullable User expected) {
		String userKey = this.keys.user(user.id());
		String usernameKey = this.keys.username(User.normalize(user.username()));
		// @formatter:off
		return this.redis.opsForValue().get(userKey)
			.defaultIfEmpty("")
			.filter((current) -> expected == null || (!current.isEmpty() && read(current).equals(expected)))
			.flatMap((current) -> {
				String previous = current.isEmpty() ? null : read(current).username();
				String previousUsernameKey = (previous == null) ? usernameKey : this.keys.username(User.normalize(previous));
				String previousLegacyKey = (previous == null) ? usernameKey : this.keys.username(legacyIndexed(previous));
				return this.redis.execute(SAVE,
						List.of(userKey, usernameKey, previousUsernameKey, this.keys.userIds(), previousLegacyKey),
						List.of(user.id(), this.json.writeValueAsString(user), current)).next();
			})
			.flatMap((outcome) -> switch (outcome) {
				case "OK" -> Mono.just(user);
				case "TAKEN" -> Mono.error(new UsernameTakenException(user.username()));
				default -> Mono.error(new ConcurrencyFailureException("User " + user.id() + " changed during save"));
			});
		// @formatter:on
	}

	/**
	 * One optimistic attempt, like {@link #attemptSave}: the username key comes from the user as read here; with
	 * {@code expected}, nothing is deleted (false) unless the user as read is that one.
	 */
	private Mono<Boolean> attemptDelete(String id, @Nullable User expected) {
		String userKey = this.keys.user(id);
		// @formatter:off
		return this.redis.opsForValue().get(userKey)
			.defaultIfEmpty("")
			.filter((current) -> expected == null || (!current.isEmpty() && read(current).equals(expected)))
			.flatMap((current) -> {
				String usernameKey = current.isEmpty() ? userKey
						: this.keys.username(User.normalize(read(current).username()));
				String legacyKey = current.isEmpty() ? userKey : this.keys.username(legacyIndexed(read(current).username()));
				return this.redis.execute(DELETE, List.of(userKey, usernameKey, this.keys.userIds(), legacyKey),
						List.of(id, current)).next();
			})
			.flatMap((outcome) -> switch (outcome) {
				case "DELETED" -> Mono.just(true);
				case "ABSENT" -> Mono.just(false);
				default -> Mono.error(new ConcurrencyFailureException("User " + id + " changed during delete"));
			})
			.defaultIfEmpty(false);
		// @formatter:on
	}

	private <T> Mono<T> retried(Mono<T> attempt) {
		return attempt
			.retryWhen(Retry.max(MAX_WRITE_ATTEMPTS - 1).filter(ConcurrencyFailureException.class::isInstance));
	}

	/** How usernames were indexed before RFC 8265 (issue 13): lowercased only. */
	private static String legacyIndexed(String username) {
		return username.toLowerCase(Locale.ROOT);
	}

	private User read(String data) {
		return this.json.readValue(data, User.class);
	}

}
