package dev.portcullis.store;

import dev.portcullis.oauth2.store.RevocationStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.store.redis.LocalRevocationView;
import dev.portcullis.store.redis.RedisAuthorizationStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisRevocationStore;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.ReactiveSubscription.Message;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wires the Redis store into the contract, and checks what only Redis has: the revocations hash's TTL, the
 * announcement on the revocations channel, and failing closed when Redis cannot be reached.
 */
@RequiresRedis
class RedisRevocationStoreITests extends AbstractRevocationStoreContractTests {

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	RedisRevocationStoreITests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	protected AbstractAuthorizationStoreContractTests.Stores createStores(Clock clock) {
		LocalRevocationView view = LocalRevocationView.disabled();
		return new AbstractAuthorizationStoreContractTests.Stores(
				new RedisAuthorizationStore(this.redis, this.keys, JsonMapper.builder().build(), clock, view),
				new RedisRevocationStore(this.redis, this.keys, clock, view));
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	@Test
	void revokeThenEntriesLiveUntilTheLatestExpiryAndAreNeverShortened() {
		String authorizationId = TestAuthorizations.newId();
		String key = this.keys.revokedIn(authorizationId);

		this.store.revoke(TestAuthorizations.newJti(authorizationId), inMinutes(10)).block(TIMEOUT);
		assertTtl(key, Duration.ofMinutes(10));

		this.store.revoke(TestAuthorizations.newJti(authorizationId), inMinutes(5)).block(TIMEOUT);
		assertTtl(key, Duration.ofMinutes(10));

		this.store.revoke(TestAuthorizations.newJti(authorizationId), inMinutes(20)).block(TIMEOUT);
		assertTtl(key, Duration.ofMinutes(20));
	}

	@Test
	void revokeThenJtiAndTimePublishedOnTheRevocationsChannel() {
		String jti = newJti();
		var messages = this.redis.listenToChannelLater(this.keys.revocationsChannel()).block(TIMEOUT);

		StepVerifier.create(messages.map(Message::getMessage).take(1))
			.then(() -> this.store.revoke(jti, inMinutes(10)).block(TIMEOUT))
			.expectNext(jti + " " + this.clock.millis())
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void isRevokedWhenRedisUnreachableThenErrorNotFalse() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		LettuceConnectionFactory unreachable = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", closedPort));
		unreachable.afterPropertiesSet();
		unreachable.start();
		try {
			RevocationStore store = new RedisRevocationStore(new ReactiveStringRedisTemplate(unreachable), this.keys,
					this.clock, LocalRevocationView.disabled());

			StepVerifier.create(store.isRevoked(newJti())).expectError().verify(TIMEOUT);
		}
		finally {
			unreachable.destroy();
		}
	}

	/** The key exists with a TTL of at most {@code expected}, less only by the time the test took. */
	private void assertTtl(String key, Duration expected) {
		assertThat(this.redis.getExpire(key).block(TIMEOUT)).as("TTL of %s", key)
			.isBetween(expected.minusSeconds(30), expected);
	}

}
