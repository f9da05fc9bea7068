package dev.portcullis.store.redis;

import java.time.Duration;
import java.time.Instant;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.store.RevocationStore;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.support.MutableClock;
import dev.portcullis.support.RedisTestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One replica's {@link LocalRevocationView}, fed by a running {@link RevocationEvents} on a real Redis, next to a
 * second replica without one. A revocation written into Redis behind both replicas' backs (no announcement) shows
 * whether an answer came from the view or from Redis. Run against a single Redis and a Redis Cluster.
 */
public abstract class AbstractLocalRevocationViewTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Duration TTL = Duration.ofMinutes(5);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	private final MutableClock clock = new MutableClock(Instant.now());

	private final LocalRevocationView view = new LocalRevocationView(TTL, this.clock);

	private final RevocationEvents events;

	private final RevocationStore replica;

	private final RevocationStore otherReplica;

	private final RedisAuthorizationStore authorizations;

	protected AbstractLocalRevocationViewTests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
		this.events = new RevocationEvents((LettuceConnectionFactory) redis.getConnectionFactory(), this.keys,
				this.view, new SimpleMeterRegistry(), this.clock);
		this.replica = new RedisRevocationStore(redis, this.keys, this.clock, this.view);
		this.otherReplica = new RedisRevocationStore(redis, this.keys, this.clock, LocalRevocationView.disabled());
		this.authorizations = new RedisAuthorizationStore(redis, this.keys, JsonMapper.builder().build(), this.clock,
				LocalRevocationView.disabled());
	}

	@BeforeEach
	void subscribe() {
		this.events.start();
		await().atMost(TIMEOUT).until(this.view::isAnnouncementsArriving);
	}

	@AfterEach
	void stopAndDeleteKeys() {
		this.events.stop();
		deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	protected abstract Mono<?> deleteNamespace(ReactiveStringRedisTemplate redis, String namespace);

	@Test
	void isRevokedWhenAnsweredOnceThenRememberedWithoutAskingRedis() {
		String jti = newJti();
		assertThat(this.replica.isKnownNotRevoked(jti)).as("known before any answer").isFalse();
		assertThat(isRevoked(this.replica, jti)).isFalse();
		assertThat(this.replica.isKnownNotRevoked(jti)).as("known once answered").isTrue();

		revokeBehindTheirBacks(jti);

		assertThat(isRevoked(this.replica, jti)).as("remembered").isFalse();
		assertThat(this.replica.isKnownNotRevoked(jti)).as("still known").isTrue();
		assertThat(isRevoked(this.otherReplica, jti)).as("asked Redis").isTrue();
	}

	@Test
	void isRevokedWhenAnotherReplicaRevokesThenTrueOnceAnnouncedLongBeforeTheTtl() {
		String jti = newJti();
		assertThat(isRevoked(this.replica, jti)).isFalse();

		this.otherReplica.revoke(jti, this.clock.instant().plus(Duration.ofHours(1))).block(TIMEOUT);

		await().atMost(Duration.ofSeconds(2)).until(() -> isRevoked(this.replica, jti));
	}

	@Test
	void isRevokedWhenAnotherTokenOfTheAuthorizationIsRevokedThenAskedAgain() {
		String jti = newJti();
		String authorizationId = jti.substring(0, TokenIds.AUTHORIZATION_ID_LENGTH);
		assertThat(isRevoked(this.replica, jti)).isFalse();
		revokeBehindTheirBacks(jti);

		this.otherReplica.revoke(TestAuthorizations.newJti(authorizationId), this.clock.instant().plusSeconds(60))
			.block(TIMEOUT);

		await().atMost(Duration.ofSeconds(2)).until(() -> isRevoked(this.replica, jti));
	}

	@Test
	void isRevokedWhenRevokedByThisReplicaThenTrueAtOnce() {
		String jti = newJti();
		assertThat(isRevoked(this.replica, jti)).isFalse();

		this.replica.revoke(jti, this.clock.instant().plus(Duration.ofHours(1))).block(TIMEOUT);

		assertThat(isRevoked(this.replica, jti)).isTrue();
	}

	@Test
	void isRevokedWhenTtlPassedThenAskedAgain() {
		String jti = newJti();
		assertThat(isRevoked(this.replica, jti)).isFalse();
		revokeBehindTheirBacks(jti);

		this.clock.advance(TTL);

		assertThat(isRevoked(this.replica, jti)).isTrue();
	}

	@Test
	void isRevokedWhenAnnouncementsStopThenNothingRememberedAndRedisAsked() {
		String jti = newJti();
		assertThat(isRevoked(this.replica, jti)).isFalse();

		this.events.stop();
		assertThat(this.replica.isKnownNotRevoked(jti)).as("forgotten when announcements stop").isFalse();
		assertThat(isRevoked(this.replica, jti)).isFalse();
		assertThat(this.replica.isKnownNotRevoked(jti)).as("nothing remembered meanwhile").isFalse();
		revokeBehindTheirBacks(jti);

		assertThat(isRevoked(this.replica, jti)).isTrue();
	}

	/** The current access token of a grant saved now: not revoked until something ends it. */
	private String newJti() {
		Authorization grant = TestAuthorizations.authorization(this.clock.instant()).build();
		this.authorizations.save(grant).block(TIMEOUT);
		return grant.accessTokenJti();
	}

	/** Writes a revocation as the scripts do, but announces nothing. */
	private void revokeBehindTheirBacks(String jti) {
		long expiresAt = this.clock.instant().plus(Duration.ofHours(2)).toEpochMilli();
		this.redis.opsForHash().put(this.keys.revoked(jti), jti, String.valueOf(expiresAt)).block(TIMEOUT);
	}

	/**
	 * What the store answers; a token it answered revoked, it does not know as not revoked either (the proxy's answer
	 * without waiting, {@code BearerTokenWebFilter}, reads that).
	 */
	private static boolean isRevoked(RevocationStore store, String jti) {
		boolean revoked = Boolean.TRUE.equals(store.isRevoked(jti).block(TIMEOUT));
		if (revoked) {
			assertThat(store.isKnownNotRevoked(jti)).as("known not revoked").isFalse();
		}
		return revoked;
	}

}
