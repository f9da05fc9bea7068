package dev.portcullis.store;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;

import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.SigningKeySet;
import dev.portcullis.oauth2.token.SigningKeySync;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisSigningKeyStore;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.RsaKeys;
import dev.portcullis.support.SecretEncryption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RequiresRedis
class RedisSigningKeyStoreITests extends AbstractSigningKeyStoreContractTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisSigningKeyStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected SigningKeyStore createStore() {
		return store(ENCRYPTION_KEY);
	}

	private RedisSigningKeyStore store(String encryptionKey) {
		return new RedisSigningKeyStore(this.redis, this.keys, JsonMapper.builder().build(),
				new SecretEncryption(encryptionKey, List.of()), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Test
	void replaceThenNoPrivateKeyInTheClearInRedis() {
		createStore().replace(0, first()).block(TIMEOUT);

		String stored = this.redis.<String, String>opsForHash().get(this.keys.signingKeys(), "keys").block(TIMEOUT);
		String privateExponent = key("a").getPrivateExponent().toString();
		assertThat(stored).contains("\"kid\":\"a\"").contains("enc:v1:").doesNotContain(privateExponent);
	}

	/** Issue 16: an Ed25519 private key is kept encrypted as the RSA ones are. */
	@Test
	void replaceWhenEd25519KeyThenNoPrivatePartInTheClearInRedis() {
		createStore().replace(0, RULES.start(first(), ED25519, JWSAlgorithm.EdDSA, NOW)).block(TIMEOUT);

		String stored = this.redis.<String, String>opsForHash().get(this.keys.signingKeys(), "keys").block(TIMEOUT);
		assertThat(stored).contains("\"kid\":\"" + ED25519.getKeyID() + "\"")
			.contains("\"alg\":\"EdDSA\"")
			.doesNotContain(ED25519.getD().toString());
		assertThat(stored.split("enc:v1:")).hasSize(3);
	}

	@Test
	void loadWhenStoredWithAnotherEncryptionKeyThenFailsNamingIt() {
		createStore().replace(0, first()).block(TIMEOUT);

		assertThatThrownBy(() -> store("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=").load().block(TIMEOUT))
			.hasMessageContaining("not configured");
	}

	/**
	 * Review: a plain private key in the key set is only ever written by someone with Redis write access and without
	 * the encryption key, to have their own key sign; it is refused, and the keys in use stay.
	 */
	@Test
	void loadWhenAPrivateKeyInTheSetIsNotEncryptedThenFailsAndTheKeysInUseStay() {
		SigningKeyStore store = createStore();
		store.replace(0, first()).block(TIMEOUT);
		CurrentSigningKeys inUse = new CurrentSigningKeys(store.load().block(TIMEOUT), Clock.fixed(NOW, ZoneOffset.UTC));
		String stored = this.redis.<String, String>opsForHash().get(this.keys.signingKeys(), "keys").block(TIMEOUT);
		ArrayNode forged = (ArrayNode) JSON.readTree(stored);
		RSAKey attackers = new RSAKey.Builder(RsaKeys.generate()).keyID("attacker").build();
		((ObjectNode) forged.get(0)).put("kid", "attacker").put("privateKey", attackers.toJSONString());
		this.redis.<String, String>opsForHash()
			.putAll(this.keys.signingKeys(), Map.of("version", "2", "keys", JSON.writeValueAsString(forged)))
			.block(TIMEOUT);

		assertThatThrownBy(() -> store.load().block(TIMEOUT)).hasMessageContaining("signing key attacker")
			.hasMessageContaining("not encrypted");
		StepVerifier.create(new SigningKeySync(store, inUse).refresh()).expectError(IllegalStateException.class).verify();
		assertThat(inUse.current().signer().kid()).isEqualTo("a");
	}

	/** Upgrading: the single plain key an earlier Portcullis stored becomes the active key, then is kept encrypted. */
	@Test
	void loadWhenKeyOfAnEarlierVersionThenItIsTheActiveKeyAndTakingItOverDeletesThePlainCopy() {
		this.redis.opsForValue().set(this.keys.signingKey(), key("earlier").toJSONString()).block(TIMEOUT);
		SigningKeyStore store = createStore();

		SigningKeySet earlier = store.load().block(TIMEOUT);
		assertThat(earlier.version()).isZero();
		assertThat(earlier.active().get().kid()).isEqualTo("earlier");
		assertThat(earlier.active().get().privateKey()).isEqualTo(key("earlier"));

		SigningKeySet takenOver = new SigningKeySet(1, earlier.keys());
		assertThat(store.replace(0, takenOver).block(TIMEOUT)).isTrue();

		assertThat(store.load().block(TIMEOUT)).isEqualTo(takenOver);
		assertThat(this.redis.hasKey(this.keys.signingKey()).block(TIMEOUT)).as("plain copy deleted").isFalse();
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
