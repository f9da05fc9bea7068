package dev.portcullis.store.redis;

import java.util.List;
import java.util.Objects;

import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Clients in Redis: each client's JSON without a TTL (a registration lasts until it is deleted), and a set of ids
 * so that {@link #findAll()} needs no scan. A client and its entry in that set change together in one Lua script.
 */
public class RedisClientStore implements ClientStore {

	private static final RedisScript<Long> SAVE = RedisScripts.load("client-save", Long.class);

	private static final RedisScript<Long> DELETE = RedisScripts.load("client-delete", Long.class);

	private static final String REFRESH_TOKENS = "refreshTokens";

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	public RedisClientStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json) {
		this.redis = redis;
		this.keys = keys;
		this.json = json;
	}

	@Override
	public Mono<RegisteredClient> findById(String clientId) {
		return this.redis.opsForValue().get(this.keys.client(clientId)).map(this::read);
	}

	@Override
	public Mono<RegisteredClient> save(RegisteredClient client) {
		return Mono.fromCallable(() -> this.json.writeValueAsString(client))
			.flatMap((data) -> this.redis
				.execute(SAVE, List.of(this.keys.client(client.id()), this.keys.clientIds()), List.of(client.id(), data))
				.then())
			.thenReturn(client);
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
			.execute(DELETE, List.of(this.keys.client(clientId), this.keys.clientIds()), List.of(clientId))
			.next()
			.map((deleted) -> deleted > 0);
	}

	/** A client stored before the refresh-token setting existed had refresh tokens, and keeps them. */
	private RegisteredClient read(String data) {
		JsonNode stored = this.json.readTree(data);
		if (stored instanceof ObjectNode fields && !fields.has(REFRESH_TOKENS)) {
			fields.put(REFRESH_TOKENS, true);
		}
		return this.json.treeToValue(stored, RegisteredClient.class);
	}

}
