package dev.portcullis.store.redis;

import java.time.Duration;
import java.time.Instant;

import dev.portcullis.fixtures.TestRegisteredClients;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
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
 * One replica's {@link RecentClients}, fed by a running {@link RevocationEvents} on a real Redis, next to a second
 * replica that changes clients (issue 16: the token endpoint read every client from Redis). A client written into
 * Redis behind both replicas' backs (no announcement) shows whether an answer came from memory or from Redis. Run
 * against a single Redis and a Redis Cluster.
 */
public abstract class AbstractRecentClientsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Duration TTL = Duration.ofMinutes(5);

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	private final MutableClock clock = new MutableClock(Instant.now());

	private final RecentClients recent = new RecentClients(TTL, this.clock);

	/** Fed by the same subscription: tells when announcements arrive. */
	private final LocalRevocationView view = new LocalRevocationView(Duration.ZERO, this.clock);

	private final RevocationEvents events;

	private final ClientStore replica;

	private final ClientStore otherReplica;

	private final RegisteredClient client = TestRegisteredClients.registeredClient().build();

	protected AbstractRecentClientsTests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
		this.events = new RevocationEvents((LettuceConnectionFactory) redis.getConnectionFactory(), this.keys,
				this.view, new SimpleMeterRegistry(), this.clock);
		this.events.announceClientChangesTo(this.recent);
		this.replica = new RedisClientStore(redis, this.keys, JsonMapper.builder().build(), this.recent, this.clock);
		this.otherReplica = new RedisClientStore(redis, this.keys, JsonMapper.builder().build());
	}

	@BeforeEach
	void subscribe() {
		this.events.start();
		await().atMost(TIMEOUT).until(this.view::isAnnouncementsArriving);
		// no announcement on its way that could make the replica forget it during a test
		writeBehindTheirBacks(this.client);
		await().atMost(TIMEOUT).until(() -> {
			this.replica.findRecentById(this.client.id()).block(TIMEOUT);
			return this.recent.get(this.client.id()) != null;
		});
	}

	@AfterEach
	void stopAndDeleteKeys() {
		this.events.stop();
		deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	protected abstract Mono<?> deleteNamespace(ReactiveStringRedisTemplate redis, String namespace);

	@Test
	void findRecentByIdWhenReadOnceThenRememberedWithoutAskingRedis() {
		RegisteredClient renamed = TestRegisteredClients.registeredClient().name("Renamed").build();
		writeBehindTheirBacks(renamed);

		assertThat(this.replica.findRecentById(this.client.id()).block(TIMEOUT)).as("remembered").isEqualTo(this.client);
		assertThat(this.replica.findById(this.client.id()).block(TIMEOUT)).as("asked Redis").isEqualTo(renamed);
	}

	@Test
	void findRecentByIdWhenAnotherReplicaRotatesTheSecretOrDeletesTheClientThenSeenOnceAnnounced() {
		RegisteredClient rotated = TestRegisteredClients.registeredClient().secretHash("{bcrypt-sha256}rotated").build();

		this.otherReplica.save(rotated).block(TIMEOUT);

		await().atMost(Duration.ofSeconds(2))
			.until(() -> rotated.equals(this.replica.findRecentById(this.client.id()).block(TIMEOUT)));

		this.otherReplica.replace(rotated, this.client).block(TIMEOUT);

		await().atMost(Duration.ofSeconds(2))
			.until(() -> this.client.equals(this.replica.findRecentById(this.client.id()).block(TIMEOUT)));

		this.otherReplica.deleteById(this.client.id()).block(TIMEOUT);

		await().atMost(Duration.ofSeconds(2))
			.until(() -> this.replica.findRecentById(this.client.id()).blockOptional(TIMEOUT).isEmpty());
	}

	@Test
	void findRecentByIdWhenChangedThroughThisReplicaThenSeenAtOnce() {
		RegisteredClient rotated = TestRegisteredClients.registeredClient().secretHash("{bcrypt-sha256}rotated").build();

		this.replica.save(rotated).block(TIMEOUT);
		assertThat(this.replica.findRecentById(this.client.id()).block(TIMEOUT)).isEqualTo(rotated);

		this.replica.replace(rotated, this.client).block(TIMEOUT);
		assertThat(this.replica.findRecentById(this.client.id()).block(TIMEOUT)).isEqualTo(this.client);

		this.replica.deleteById(this.client.id()).block(TIMEOUT);
		assertThat(this.replica.findRecentById(this.client.id()).blockOptional(TIMEOUT)).isEmpty();
	}

	@Test
	void findRecentByIdWhenTheClientDidNotExistThenNotRememberedAndOneCreatedElsewhereFoundAtOnce() {
		RegisteredClient created = TestRegisteredClients.registeredClient().id("created-later").build();
		assertThat(this.replica.findRecentById(created.id()).blockOptional(TIMEOUT)).isEmpty();

		writeBehindTheirBacks(created);

		assertThat(this.replica.findRecentById(created.id()).block(TIMEOUT)).isEqualTo(created);
	}

	@Test
	void findRecentByIdWhenTtlPassedThenAskedAgain() {
		RegisteredClient renamed = TestRegisteredClients.registeredClient().name("Renamed").build();
		writeBehindTheirBacks(renamed);

		this.clock.advance(TTL);

		assertThat(this.replica.findRecentById(this.client.id()).block(TIMEOUT)).isEqualTo(renamed);
	}

	@Test
	void findRecentByIdWhenAnnouncementsStopThenNothingRememberedAndRedisAsked() {
		RegisteredClient renamed = TestRegisteredClients.registeredClient().name("Renamed").build();

		this.events.stop();
		writeBehindTheirBacks(renamed);

		assertThat(this.replica.findRecentById(this.client.id()).block(TIMEOUT)).isEqualTo(renamed);
		writeBehindTheirBacks(this.client);
		assertThat(this.replica.findRecentById(this.client.id()).block(TIMEOUT)).as("not remembered either")
			.isEqualTo(this.client);
	}

	/** Writes a client as the store does, but announces nothing. */
	private void writeBehindTheirBacks(RegisteredClient client) {
		String json = JsonMapper.builder().build().writeValueAsString(RedisClientStore.StoredClient.of(client));
		this.redis.opsForValue().set(this.keys.client(client.id()), json).block(TIMEOUT);
	}

}
