package dev.portcullis.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.portcullis.fixtures.SuiteCrmDatabase;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisUserStore;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
 * imitated an Argon2id check, so timing told existing users from unknown names. The gateway learns the slowest hash
 * in the store at start, and every answer for a user, unknown or known, takes at least as long as it.
 *
 * <p>Real HTTP against a real Redis, wall-clock times; robust on a loaded machine: interleaved rounds, medians, and
 * a tolerance (80 %) far wider than the noise and far narrower than the gap (Argon2id here takes about a sixth of
 * bcrypt 12).
 */
@RequiresRedis
class PasswordTimingIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int ROUNDS = 7;

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	private final RedisUserStore users;

	PasswordTimingIntegrationTests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
		this.users = new RedisUserStore(redis, this.keys, JSON);
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	@Test
	void passwordGrantWhenUsersHoldSlowerOldHashesThenAnUnknownUsernameAnswersAsSlowly() {
		save("u-argon2", "argon2-user", new PasswordHasher(4, PasswordHasher.Algorithm.ARGON2ID).hash("password-1"));
		save("u-bcrypt10", "bcrypt10-user", new PasswordHasher(10).hash("password-1"));
		// SuiteCRM's password_hash(strtolower(md5($password)), PASSWORD_DEFAULT) under PHP 8.4: cost 12
		save("u-bcrypt12", "bcrypt12-user", PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT,
				BCrypt.hashpw(SuiteCrmDatabase.md5Hex("password-1"), BCrypt.gensalt("$2y", 12))));

		try (ConfigurableApplicationContext gateway = TestGateways.start(List.of("server.port=0",
				"portcullis.store=redis", "spring.data.redis.url=" + RedisTestSupport.redisUrl(),
				"portcullis.redis.namespace=" + this.keys.namespace(), "portcullis.secrets.bcrypt-strength=4",
				"portcullis.secrets.user-password-hash=argon2id", "portcullis.bootstrap.clients[0].id=app",
				"portcullis.bootstrap.clients[0].name=App", "portcullis.bootstrap.clients[0].secret=app-client-secret",
				"portcullis.bootstrap.clients[0].grant-types=password",
				// the attacker needs few attempts per name; limits low enough to refuse them would hide the timing
				"portcullis.guessing.attempts-per-identity-and-address=1000",
				"portcullis.guessing.failures-per-address=10000",
				"portcullis.guessing.failures-per-identity-before-delay=1000"))) {
			WebTestClient http = TestGateways.client(gateway);
			List<String> usernames = List.of("argon2-user", "bcrypt10-user", "bcrypt12-user", "nobody-by-this-name");
			// warm up (the client's secret check, the first requests' JIT), then interleave so that load hits all alike
			usernames.forEach((username) -> wrongPassword(http, username));
			Map<String, List<Long>> times = new LinkedHashMap<>();
			for (int round = 0; round < ROUNDS; round++) {
				for (String username : usernames) {
					times.computeIfAbsent(username, (name) -> new ArrayList<>()).add(wrongPassword(http, username));
				}
			}
			Map<String, Long> medians = new LinkedHashMap<>();
			times.forEach((username, millis) -> medians.put(username, millis.stream().sorted().toList().get(ROUNDS / 2)));
			System.out.println("median answer times (ms) of wrong passwords: " + medians);

			long slowest = medians.get("bcrypt12-user");
			assertThat(medians).as("median answer times (ms) of wrong passwords").allSatisfy((username,
					median) -> assertThat(median).as(username).isGreaterThanOrEqualTo(slowest * 8 / 10));
		}
	}

	private void save(String id, String username, String passwordHash) {
		this.users.save(new User(id, username, passwordHash, true, false)).block(TIMEOUT);
	}

	/** The milliseconds a password grant with a wrong password took, asserting it was refused as such. */
	private static long wrongPassword(WebTestClient http, String username) {
		long started = System.nanoTime();
		http.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=password&client_id=app&client_secret=app-client-secret&username=" + username
					+ "&password=wrong-password")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant");
		return Duration.ofNanos(System.nanoTime() - started).toMillis();
	}

}
