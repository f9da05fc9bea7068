package dev.portcullis.store.redis;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.oauth2.token.SigningKey;
import dev.portcullis.oauth2.token.SigningKeySet;
import dev.portcullis.support.LogSafe;
import dev.portcullis.support.SecretEncryption;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The signing key set in Redis, without a TTL: one hash holding its version and its keys as JSON, each private key
 * encrypted ({@link SecretEncryption}, with its {@code kid} as associated data; a plain one there is refused). One Lua
 * script compares the version, writes the set and announces the change on the revocations channel, so two replicas
 * rotating at once cannot lose a key and every replica hears of the change.
 *
 * <p>A key kept by an earlier Portcullis (one plain private JWK under {@link RedisKeys#signingKey()}) is read as the
 * active key of a set of version 0; once a set has been stored in its place, the plain key is deleted. The two keys
 * are in different hash slots, so that deletion is a command of its own after the script.
 */
public class RedisSigningKeyStore implements SigningKeyStore {

	private static final RedisScript<Long> REPLACE = RedisScripts.load("signing-keys-replace", Long.class);

	private final ReactiveRedisOperations<String, String> redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	private final SecretEncryption encryption;

	private final Clock clock;

	public RedisSigningKeyStore(ReactiveRedisOperations<String, String> redis, RedisKeys keys, JsonMapper json,
			SecretEncryption encryption, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.json = json;
		this.encryption = encryption;
		this.clock = clock;
	}

	@Override
	public Mono<SigningKeySet> load() {
		// @formatter:off
		return this.redis.<String, String>opsForHash().entries(this.keys.signingKeys())
				.collectMap(Map.Entry::getKey, Map.Entry::getValue)
				.flatMap((stored) -> stored.containsKey("version")
						? Mono.fromCallable(() -> read(stored))
						: this.redis.opsForValue().get(this.keys.signingKey()).map(this::earlierKey)
								.defaultIfEmpty(SigningKeySet.EMPTY));
		// @formatter:on
	}

	@Override
	public Mono<Boolean> replace(long expectedVersion, SigningKeySet replacement) {
		// @formatter:off
		return Mono.fromCallable(() -> write(replacement))
				.flatMap((written) -> this.redis.execute(REPLACE, List.of(this.keys.signingKeys()),
						List.of(Long.toString(expectedVersion), Long.toString(replacement.version()), written,
								this.keys.revocationsChannel(),
								RedisKeys.signingKeysChanged(replacement.version(), this.clock.millis())))
						.next())
				.flatMap((stored) -> (stored == 1 && expectedVersion == 0)
						// taken over: the plain key of an earlier Portcullis goes
						? this.redis.delete(this.keys.signingKey()).thenReturn(true)
						: Mono.just(stored == 1));
		// @formatter:on
	}

	private SigningKeySet earlierKey(String privateJwk) {
		JWK key = parse(privateJwk, "the signing key kept by an earlier version");
		JWSAlgorithm algorithm = (key.getAlgorithm() != null) ? JWSAlgorithm.parse(key.getAlgorithm().getName())
				: JWSAlgorithm.RS256;
		return new SigningKeySet(0, List.of(SigningKey.active(key, algorithm, this.clock.instant())));
	}

	private String write(SigningKeySet set) {
		ArrayNode array = this.json.createArrayNode();
		for (SigningKey key : set.keys()) {
			ObjectNode node = array.addObject();
			node.put("kid", key.kid());
			node.put("alg", key.algorithm().getName());
			node.put("state", key.state().name());
			node.put("createdAt", key.createdAt().toString());
			putInstant(node, "activatedAt", key.activatedAt());
			putInstant(node, "retiredAt", key.retiredAt());
			putInstant(node, "acceptedUntil", key.acceptedUntil());
			node.put("privateKey", this.encryption.encrypt(key.privateKey().toJSONString(), "signing key " + key.kid()));
		}
		return this.json.writeValueAsString(array);
	}

	private SigningKeySet read(Map<String, String> stored) {
		List<SigningKey> keys = new ArrayList<>();
		for (JsonNode node : this.json.readTree(stored.get("keys"))) {
			String kid = node.get("kid").asString();
			String privateKey = node.get("privateKey").asString();
			// nothing of Portcullis writes a plain key here (an earlier version's plain key has its own place and
			// takeover): one is a downgrade by whoever can write to Redis, refused; the keys in use stay
			if (!SecretEncryption.isEncrypted(privateKey)) {
				throw new IllegalStateException("signing key " + LogSafe.clean(kid) + " in Redis is not encrypted, "
						+ "which Portcullis never writes: refused, the keys in use stay (check who can write to Redis)");
			}
			String jwk = this.encryption.decrypt(privateKey, "signing key " + kid);
			keys.add(new SigningKey(kid, JWSAlgorithm.parse(node.get("alg").asString()), parse(jwk, "signing key " + kid),
					SigningKey.State.valueOf(node.get("state").asString()), Instant.parse(node.get("createdAt").asString()),
					instant(node, "activatedAt"), instant(node, "retiredAt"), instant(node, "acceptedUntil")));
		}
		return new SigningKeySet(Long.parseLong(stored.get("version")), keys);
	}

	private static void putInstant(ObjectNode node, String name, @Nullable Instant instant) {
		if (instant != null) {
			node.put(name, instant.toString());
		}
	}

	private static @Nullable Instant instant(JsonNode node, String name) {
		JsonNode value = node.get(name);
		return (value == null || value.isNull()) ? null : Instant.parse(value.asString());
	}

	private static JWK parse(String json, String what) {
		try {
			return JWK.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(what + " in Redis is not a valid JWK");
		}
	}

}
