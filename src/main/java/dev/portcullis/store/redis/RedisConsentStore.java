package dev.portcullis.store.redis;

import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.store.ConsentStore;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consents in Redis: one hash per user ({@link RedisKeys#consent}), client id to the consent's JSON, without a TTL
 * (a consent lasts until it is withdrawn). Listing a user's consents is one {@code HVALS}, without a scan.
 */
public class RedisConsentStore implements ConsentStore {

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	public RedisConsentStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json) {
		this.redis = redis;
		this.keys = keys;
		this.json = json;
	}

	@Override
	public Mono<Void> save(Consent consent) {
		return Mono.fromCallable(() -> this.json.writeValueAsString(consent))
			.flatMap((data) -> this.redis.<String, String>opsForHash()
				.put(this.keys.consent(consent.userId()), consent.clientId(), data))
			.then();
	}

	@Override
	public Mono<Consent> find(String clientId, String userId) {
		return this.redis.<String, String>opsForHash().get(this.keys.consent(userId), clientId).map(this::read);
	}

	@Override
	public Flux<Consent> findByUserId(String userId) {
		return this.redis.<String, String>opsForHash().values(this.keys.consent(userId)).map(this::read);
	}

	@Override
	public Mono<Boolean> revoke(String clientId, String userId) {
		return this.redis.<String, String>opsForHash()
			.remove(this.keys.consent(userId), clientId)
			.map((removed) -> removed > 0);
	}

	private Consent read(String data) {
		return this.json.readValue(data, Consent.class);
	}

}
