package dev.portcullis.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import dev.portcullis.fixtures.SuiteCrmDatabase;
import dev.portcullis.fixtures.TestRegisteredClients;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.redis.RedisClientStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisUserStore;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attack on the timing of the password grant (issue 16 follow-up, attacker review): on a gateway that hashes
 * user passwords with Argon2id, users not yet upgraded still hold slower hashes, bcrypt at cost 10 from before and
 * SuiteCRM's imported {@code $2y$12$}. Their wrong passwords used to answer slower than an unknown username, which
 * imitated an Argon2id check, so timing told existing users from unknown names. The same held for a client whose
 * secret is hashed at a higher bcrypt cost than the configured one. The gateway learns the slowest hash in the store
 * at start, and every answer for a user (or a client), unknown or known, takes at least as long as it.
 *
 * <p>Real HTTP against a real Redis, wall-clock times; robust on a loaded machine: interleaved rounds, medians, and
 * a tolerance (80 %) far wider than the noise and far narrower than the gap (Argon2id here takes about a sixth of
 * bcrypt 12, bcrypt 4 a 256th).
 */
@RequiresRedis
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordTimingIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int ROUNDS = 7;

	/**
	 * Rounds first thrown away: the first requests' JIT, and an imitation draws from the last real checks, which
	 * should be of the load the measured rounds run under rather than of the quieter or busier start.
	 */
	private static final int WARM_UP_ROUNDS = 3;

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	private @Nullable ConfigurableApplicationContext gateway;

	PasswordTimingIntegrationTests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@BeforeAll
	void startGatewayOnAStoreWithOldHashes() {
		RedisUserStore users = new RedisUserStore(this.redis, this.keys, JSON);
		save(users, "u-argon2", "argon2-user", new PasswordHasher(4, PasswordHasher.Algorithm.ARGON2ID).hash("password-1"));
		save(users, "u-bcrypt10", "bcrypt10-user", new PasswordHasher(10).hash("password-1"));
		// SuiteCRM's password_hash(strtolower(md5($password)), PASSWORD_DEFAULT) under PHP 8.4: cost 12
		save(users, "u-bcrypt12", "bcrypt12-user", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT,
				BCrypt.hashpw(SuiteCrmDatabase.md5Hex("password-1"), BCrypt.gensalt("$2y", 12))));
		// a client from when bcrypt-strength was 12
		new RedisClientStore(this.redis, this.keys, JSON)
			.save(TestRegisteredClients.registeredClient()
				.id("slow-client")
				.secretHash(new PasswordHasher(12).hash("slow-client-secret"))
				.build())
			.block(TIMEOUT);

		this.gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=redis",
				"spring.data.redis.url=" + RedisTestSupport.redisUrl(), "portcullis.redis.namespace=" + this.keys.namespace(),
				"portcullis.secrets.bcrypt-strength=4", "portcullis.secrets.user-password-hash=argon2id",
				"portcullis.bootstrap.clients[0].id=app", "portcullis.bootstrap.clients[0].name=App",
				"portcullis.bootstrap.clients[0].secret=app-client-secret",
				"portcullis.bootstrap.clients[0].grant-types=password,client_credentials",
				// the attacker needs few attempts per name; limits low enough to refuse them would hide the timing
				"portcullis.guessing.attempts-per-identity-and-address=1000",
				"portcullis.guessing.failures-per-address=10000",
				"portcullis.guessing.failures-per-identity-before-delay=1000"));
	}

	@AfterAll
	void stopGatewayAndDeleteKeys() {
		if (this.gateway != null) {
			this.gateway.close();
		}
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	@Test
	void passwordGrantWhenUsersHoldSlowerOldHashesThenAnUnknownUsernameAnswersAsSlowly() {
		WebTestClient http = TestGateways.client(this.gateway);
		Map<String, Long> medians = medianMillis(
				List.of("argon2-user", "bcrypt10-user", "bcrypt12-user", "nobody-by-this-name"),
				(username) -> wrongPassword(http, username));
		System.out.println("median answer times (ms) of wrong passwords: " + medians);

		long slowest = medians.get("bcrypt12-user");
		assertThat(medians).as("median answer times (ms) of wrong passwords").allSatisfy((username,
				median) -> assertThat(median).as(username).isGreaterThanOrEqualTo(slowest * 8 / 10));
	}

	@Test
	void clientCredentialsWhenAClientHoldsASlowerHashThenAnUnknownClientIdAnswersAsSlowly() {
		WebTestClient http = TestGateways.client(this.gateway);
		Map<String, Long> medians = medianMillis(List.of("app", "slow-client", "nobody-by-this-id"),
				(clientId) -> wrongSecret(http, clientId));
		System.out.println("median answer times (ms) of wrong client secrets: " + medians);

		long slowest = medians.get("slow-client");
		assertThat(medians).as("median answer times (ms) of wrong client secrets").allSatisfy((clientId,
				median) -> assertThat(median).as(clientId).isGreaterThanOrEqualTo(slowest * 8 / 10));
	}

	/**
	 * The median milliseconds of {@link #ROUNDS} attempts for each name, after {@link #WARM_UP_ROUNDS}, interleaved so
	 * that load hits all alike.
	 */
	private static Map<String, Long> medianMillis(List<String> names, ToLongFunction<String> attempt) {
		for (int round = 0; round < WARM_UP_ROUNDS; round++) {
			names.forEach(attempt::applyAsLong);
		}
		Map<String, List<Long>> times = new LinkedHashMap<>();
		for (int round = 0; round < ROUNDS; round++) {
			for (String name : names) {
				times.computeIfAbsent(name, (key) -> new ArrayList<>()).add(attempt.applyAsLong(name));
			}
		}
		Map<String, Long> medians = new LinkedHashMap<>();
		times.forEach((name, millis) -> medians.put(name, millis.stream().sorted().toList().get(ROUNDS / 2)));
		return medians;
	}

	private void save(RedisUserStore users, String id, String username, String passwordHash) {
		users.save(new User(id, username, passwordHash, true, false)).block(TIMEOUT);
	}

	/** The milliseconds a password grant with a wrong password took, asserting it was refused as such. */
	private static long wrongPassword(WebTestClient http, String username) {
		return millis(() -> http.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=password&client_id=app&client_secret=app-client-secret&username=" + username
					+ "&password=wrong-password")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant"));
	}

	/** The milliseconds a client credentials grant with a wrong secret took, asserting it was refused as such. */
	private static long wrongSecret(WebTestClient http, String clientId) {
		return millis(() -> http.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials&client_id=" + clientId + "&client_secret=wrong-secret")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client"));
	}

	private static long millis(Runnable request) {
		long started = System.nanoTime();
		request.run();
		return Duration.ofNanos(System.nanoTime() - started).toMillis();
	}

}
