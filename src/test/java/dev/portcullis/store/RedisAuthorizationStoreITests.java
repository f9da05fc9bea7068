package dev.portcullis.store;

import java.time.Clock;
import java.time.Duration;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.store.redis.LocalRevocationView;
import dev.portcullis.store.redis.RedisAuthorizationStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisRevocationStore;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wires the Redis stores into the contract, and checks what only Redis has: every key gets a TTL that ends with the
 * last token it concerns (the contract's clock cannot see Redis evict anything).
 */
@RequiresRedis
class RedisAuthorizationStoreITests extends AbstractAuthorizationStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisAuthorizationStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected Stores createStores(Clock clock) {
		LocalRevocationView view = LocalRevocationView.disabled();
		return new Stores(new RedisAuthorizationStore(this.redis, this.keys, JsonMapper.builder().build(), clock, view),
				new RedisRevocationStore(this.redis, this.keys, clock, view));
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	@Test
	void saveThenAuthorizationAndIndexesExpireWithTheRefreshToken() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();

		save(authorization);

		assertTtl(this.keys.authorization(authorization.id()), TestAuthorizations.REFRESH_TOKEN_TTL);
		assertTtl(this.keys.clientIndex(authorization.clientId()), TestAuthorizations.REFRESH_TOKEN_TTL);
		assertTtl(this.keys.userIndex("user-1"), TestAuthorizations.REFRESH_TOKEN_TTL);
	}

	@Test
	void saveWhenNoRefreshTokenThenAuthorizationExpiresWithTheAccessToken() {
		Authorization authorization = TestAuthorizations.clientCredentials(now()).build();

		save(authorization);

		assertTtl(this.keys.authorization(authorization.id()), TestAuthorizations.ACCESS_TOKEN_TTL);
		assertTtl(this.keys.clientIndex(authorization.clientId()), TestAuthorizations.ACCESS_TOKEN_TTL);
	}

	@Test
	void rotateThenKeysFollowTheNewTokensAndTheRevocationTheOldAccessToken() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);
		this.clock.advance(Duration.ofMinutes(10));
		Authorization rotated = TestAuthorizations.rotated(authorization, now());

		this.authorizations.rotate(rotated, authorization.refreshTokenHash(), now(), GRACE).block(TIMEOUT);

		assertTtl(this.keys.authorization(authorization.id()), TestAuthorizations.REFRESH_TOKEN_TTL);
		assertTtl(this.keys.rotatedOut(authorization.id()), TestAuthorizations.REFRESH_TOKEN_TTL);
		assertTtl(this.keys.clientIndex(authorization.clientId()), TestAuthorizations.REFRESH_TOKEN_TTL);
		assertTtl(this.keys.revoked(authorization.accessTokenJti()),
				TestAuthorizations.ACCESS_TOKEN_TTL.minusMinutes(10));
	}

	@Test
	void removeThenAuthorizationKeysDeletedAndIndexesEmptied() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);
		this.authorizations.rotate(TestAuthorizations.rotated(authorization, now()), authorization.refreshTokenHash(),
				now(), GRACE)
			.block(TIMEOUT);

		this.authorizations.remove(authorization.id()).block(TIMEOUT);

		assertThat(this.redis.hasKey(this.keys.authorization(authorization.id())).block(TIMEOUT)).isFalse();
		assertThat(this.redis.hasKey(this.keys.rotatedOut(authorization.id())).block(TIMEOUT)).isFalse();
		assertThat(this.redis.hasKey(this.keys.clientIndex(authorization.clientId())).block(TIMEOUT)).isFalse();
		assertThat(this.redis.hasKey(this.keys.userIndex("user-1")).block(TIMEOUT)).isFalse();
	}

	/** The key exists with a TTL of at most {@code expected}, less only by the time the test took. */
	private void assertTtl(String key, Duration expected) {
		assertThat(this.redis.getExpire(key).block(TIMEOUT)).as("TTL of %s", key)
			.isBetween(expected.minusSeconds(30), expected);
	}

}
