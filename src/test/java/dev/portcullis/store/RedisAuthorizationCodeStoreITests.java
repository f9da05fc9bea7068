package dev.portcullis.store;

import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import java.time.Clock;
import java.time.Duration;

import dev.portcullis.fixtures.TestAuthorizationCodes;
import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.store.redis.RedisAuthorizationCodeStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wires the Redis store into the contract, and checks what only Redis has: the code expires with itself, the used
 * marker outlives it and then follows the exchange, and Redis's own expiry keeps an expired code from being handed
 * out (the contract's clock cannot see Redis evict anything).
 */
@RequiresRedis
class RedisAuthorizationCodeStoreITests extends AbstractAuthorizationCodeStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisAuthorizationCodeStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected AuthorizationCodeStore createStore(Clock clock) {
		return new RedisAuthorizationCodeStore(this.redis, this.keys, JsonMapper.builder().build(), clock);
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	@Test
	void issueThenCodeExpiresWithItself() {
		String codeHash = TestAuthorizationCodes.newCodeHash();

		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());

		assertTtl(this.keys.code(codeHash), TestAuthorizationCodes.CODE_TTL);
	}

	@Test
	void issueWhenExpiredAlreadyThenNothingStored() {
		String codeHash = TestAuthorizationCodes.newCodeHash();

		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).ttl(Duration.ofSeconds(-1)).build());

		assertThat(this.redis.hasKey(this.keys.code(codeHash)).block(TIMEOUT)).isFalse();
	}

	@Test
	void consumeThenCodeDeletedAndMarkerOutlivesItByADay() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());

		this.store.consume(codeHash).block(TIMEOUT);

		assertThat(this.redis.hasKey(this.keys.code(codeHash)).block(TIMEOUT)).isFalse();
		assertTtl(this.keys.codeUsed(codeHash), TestAuthorizationCodes.CODE_TTL.plusDays(1));
	}

	@Test
	void recordExchangeThenMarkerLivesUntilTheGivenInstant() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());
		this.store.consume(codeHash).block(TIMEOUT);

		this.store.recordExchange(codeHash, TestAuthorizations.newId(), now().plus(Duration.ofDays(30)))
			.block(TIMEOUT);

		assertTtl(this.keys.codeUsed(codeHash), Duration.ofDays(30));
	}

	@Test
	void consumeWhenEvictedByRedisThenEmptyAndNotConsumed() throws InterruptedException {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).ttl(Duration.ofMillis(50)).build());

		Thread.sleep(200); // real time: Redis keeps its own clock

		StepVerifier.create(this.store.consume(codeHash)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findConsumed(codeHash)).expectComplete().verify(TIMEOUT);
	}

	/** The key exists with a TTL of at most {@code expected}, less only by the time the test took. */
	private void assertTtl(String key, Duration expected) {
		assertThat(this.redis.getExpire(key).block(TIMEOUT)).as("TTL of %s", key)
			.isBetween(expected.minusSeconds(30), expected);
	}

}
