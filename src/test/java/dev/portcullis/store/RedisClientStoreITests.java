package dev.portcullis.store;

import java.time.Duration;

import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.store.redis.RedisClientStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@RequiresRedis
class RedisClientStoreITests extends AbstractClientStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisClientStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected ClientStore createStore() {
		return new RedisClientStore(this.redis, this.keys, JsonMapper.builder().build());
	}

	/** Issue 13: a client stored before the refresh-token setting existed keeps its refresh tokens. */
	@Test
	void findByIdWhenStoredBeforeTheRefreshTokenSettingThenRefreshTokensOn() {
		String before = "{\"id\":\"old-client\",\"name\":\"Old\",\"secretHash\":null,\"confidential\":false,"
				+ "\"grantTypes\":[\"password\"],\"associatedUserId\":null,\"redirectUris\":[],\"scopes\":[],"
				+ "\"accessTokenTtl\":null,\"refreshTokenTtl\":null}";
		this.redis.opsForValue().set(this.keys.client("old-client"), before).block();

		StepVerifier.create(createStore().findById("old-client")).assertNext((client) -> {
			assertThat(client.refreshTokens()).isTrue();
			assertThat(client.issuesRefreshTokens()).isTrue();
		}).expectComplete().verify(Duration.ofSeconds(10));
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
