package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.ClientTokenSettings;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clients in Redis: each client's JSON without a TTL (a registration lasts until it is deleted), and a set of ids
 * so that {@link #findAll()} needs no scan. A client and its entry in that set change together in one Lua script.
 * The JSON is {@link StoredClient}'s flat form, which does not follow the shape of {@link RegisteredClient}: clients
 * stored by earlier versions load unchanged, and replicas not yet upgraded read what newer ones write.
 *
 * <p>Every change is announced on the revocations channel, so that {@link #findRecentById} may answer from this
 * replica's {@link RecentClients} until the client changes anywhere.
 */
public class RedisClientStore implements ClientStore {

	private static final RedisScript<Long> SAVE = RedisScripts.load("client-save", Long.class);

	private static final RedisScript<Long> DELETE = RedisScripts.load("client-delete", Long.class);

	private static final RedisScript<String> REPLACE = RedisScripts.load("client-replace", String.class);

	/** Writes of one client racing each other retry this often before giving up. */
	private static final int MAX_WRITE_ATTEMPTS = 5;

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	private final RecentClients recent;

	private final Clock clock;

	/** A store that remembers no client: {@link #findRecentById} reads Redis every time. */
	public RedisClientStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json) {
		this(redis, keys, json, RecentClients.disabled(), Clock.systemUTC());
	}

	/**
	 * @param recent where {@link #findRecentById} remembers clients, fed by the announcements {@link RevocationEvents}
	 * receives
	 */
	public RedisClientStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json,
			RecentClients recent, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.json = json;
		this.recent = recent;
		this.clock = clock;
	}

	@Override
	public Mono<RegisteredClient> findById(String clientId) {
		return this.redis.opsForValue().get(this.keys.client(clientId)).map(this::read);
	}

	/**
	 * From this replica's memory while it may be trusted ({@link RecentClients}), else read and remembered: a busy
	 * client_credentials client costs one Redis read and one JSON parse fewer per token.
	 */
	@Override
	public Mono<RegisteredClient> findRecentById(String clientId) {
		return Mono.defer(() -> {
			RegisteredClient remembered = this.recent.get(clientId);
			if (remembered != null) {
				return Mono.just(remembered);
			}
			long readStarted = this.recent.readStarted();
			return findById(clientId).doOnNext((client) -> this.recent.remember(client, readStarted));
		});
	}

	@Override
	public Mono<RegisteredClient> save(RegisteredClient client) {
		return Mono.fromCallable(() -> this.json.writeValueAsString(StoredClient.of(client)))
			.flatMap((data) -> this.redis
				.execute(SAVE, List.of(this.keys.client(client.id()), this.keys.clientIds()),
						List.of(client.id(), data, this.keys.revocationsChannel(), announcement(client.id())))
				.then())
			.doOnSuccess((done) -> this.recent.forget(client.id()))
			.thenReturn(client);
	}

	/**
	 * Compared in Java, as read ({@link #read} fills in fields stored before they existed, so the stored JSON is not
	 * what {@code expected} serializes to), then written by a script only while the stored JSON is still the one
	 * compared; a write in between makes this read again.
	 */
	@Override
	public Mono<RegisteredClient> replace(RegisteredClient expected, RegisteredClient changed) {
		String clientKey = this.keys.client(expected.id());
		// @formatter:off
		return Mono.defer(() -> this.redis.opsForValue().get(clientKey)
				.filter((current) -> read(current).equals(expected))
				.flatMap((current) -> this.redis.execute(REPLACE, List.of(clientKey),
						List.of(current, this.json.writeValueAsString(StoredClient.of(changed)),
								this.keys.revocationsChannel(), announcement(expected.id()))).next())
				.doOnNext((outcome) -> this.recent.forget(expected.id()))
				.flatMap((outcome) -> "OK".equals(outcome) ? Mono.just(changed)
						: Mono.error(new ConcurrencyFailureException("Client " + expected.id() + " changed during replace"))))
			.retryWhen(Retry.max(MAX_WRITE_ATTEMPTS - 1).filter(ConcurrencyFailureException.class::isInstance));
		// @formatter:on
	}

	@Override
	public Flux<RegisteredClient> findAll() {
		// @formatter:off
		return this.redis.opsForSet().members(this.keys.clientIds())
			.map(this.keys::client)
			.collectList()
			.filter((clientKeys) -> !clientKeys.isEmpty())
			// one MGET: every client key has the tag {clients}, so they share a slot on a cluster too
			.flatMap((clientKeys) -> this.redis.opsForValue().multiGet(clientKeys))
			.flatMapIterable((values) -> values.stream().filter(Objects::nonNull).map(this::read).toList());
		// @formatter:on
	}

	@Override
	public Mono<Boolean> deleteById(String clientId) {
		return this.redis
			.execute(DELETE, List.of(this.keys.client(clientId), this.keys.clientIds()),
					List.of(clientId, this.keys.revocationsChannel(), announcement(clientId)))
			.next()
			.doOnNext((deleted) -> this.recent.forget(clientId))
			.map((deleted) -> deleted > 0);
	}

	private String announcement(String clientId) {
		return RedisKeys.clientChanged(clientId, this.clock.millis());
	}

	private RegisteredClient read(String data) {
		return this.json.readValue(data, StoredClient.class).toClient();
	}

	/**
	 * A client as it is stored: one flat JSON object, as before the token settings were grouped.
	 * @param refreshTokens {@code null} for a client stored before the refresh-token setting existed: it had refresh
	 * tokens, and keeps them
	 * @param introspection absent (false) for a client stored before the setting existed
	 * @param backendCredential absent ({@code null}, the route's default) for a client stored before the setting
	 * existed
	 * @param signingAlgorithm absent (RS256) for a client stored before the setting existed
	 */
	record StoredClient(String id, String name, @Nullable String secretHash, boolean confidential,
			Set<GrantType> grantTypes, @Nullable String associatedUserId, List<String> redirectUris, Set<String> scopes,
			@Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl, @Nullable Boolean refreshTokens,
			@Nullable Boolean introspection, @Nullable String backendCredential,
			@Nullable SigningAlgorithm signingAlgorithm) {

		static StoredClient of(RegisteredClient client) {
			ClientTokenSettings tokens = client.tokenSettings();
			return new StoredClient(client.id(), client.name(), client.secretHash(), client.confidential(),
					client.grantTypes(), client.associatedUserId(), client.redirectUris(), client.scopes(),
					tokens.accessTokenTtl(), tokens.refreshTokenTtl(), tokens.refreshTokens(),
					tokens.introspection(), tokens.backendCredential(), tokens.signingAlgorithm());
		}

		RegisteredClient toClient() {
			return new RegisteredClient(this.id, this.name, this.secretHash, this.confidential, this.grantTypes,
					this.associatedUserId, this.redirectUris, this.scopes,
					new ClientTokenSettings(this.accessTokenTtl, this.refreshTokenTtl, !Boolean.FALSE.equals(this.refreshTokens),
							Boolean.TRUE.equals(this.introspection), this.backendCredential,
							(this.signingAlgorithm != null) ? this.signingAlgorithm : SigningAlgorithm.RS256));
		}

	}

}
