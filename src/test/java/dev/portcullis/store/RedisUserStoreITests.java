package dev.portcullis.store;

import java.time.Duration;

import dev.portcullis.fixtures.TestUsers;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisUserStore;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@RequiresRedis
class RedisUserStoreITests extends AbstractUserStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisUserStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected UserStore createStore() {
		return new RedisUserStore(this.redis, this.keys, JsonMapper.builder().build());
	}

	/**
	 * Issue 13: a user indexed before RFC 8265 (under the name lowercased only, here with a combining accent) is
	 * found by that spelling; once saved again (as the bootstrap does at start) under every spelling, the old key is
	 * gone and the other spelling of the name is taken.
	 */
	@Test
	void findByUsernameWhenIndexedBeforeRfc8265ThenFoundAndSavingAgainReindexesIt() {
		UserStore store = createStore();
		User jose = TestUsers.user().id("old-user").username("Jose\u0301").build();
		String legacyKey = this.keys.username("jose\u0301");
		this.redis.opsForValue().set(this.keys.user("old-user"), JsonMapper.builder().build().writeValueAsString(jose))
			.then(this.redis.opsForValue().set(legacyKey, "old-user"))
			.then(this.redis.opsForSet().add(this.keys.userIds(), "old-user"))
			.block(TIMEOUT);

		StepVerifier.create(store.findByUsername("JOSE\u0301")).expectNext(jose).expectComplete().verify(TIMEOUT);

		store.save(jose).block(TIMEOUT);

		StepVerifier.create(store.findByUsername("jos\u00e9")).expectNext(jose).expectComplete().verify(TIMEOUT);
		StepVerifier.create(store.findByUsername("Jose\u0301")).expectNext(jose).expectComplete().verify(TIMEOUT);
		assertThat(this.redis.hasKey(legacyKey).block(TIMEOUT)).isFalse();
		StepVerifier.create(store.save(TestUsers.user().id("new-user").username("Jos\u00e9").build()))
			.expectError(UsernameTakenException.class)
			.verify(TIMEOUT);
		store.deleteById("old-user").block(TIMEOUT);
		assertThat(this.redis.keys(this.keys.namespace() + "*username*").collectList().block(TIMEOUT)).isEmpty();
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
