package dev.portcullis.web;

import java.time.Duration;
import java.util.List;

import dev.portcullis.fixtures.DelegatingUserStore;
import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisUserStore;
import dev.portcullis.support.MutableClock;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: users whose passwords were hashed under bcrypt sign in on a gateway configured for Argon2id
 * ({@code portcullis.secrets.user-password-hash=argon2id}), on a real Redis: their hash becomes Argon2id at their
 * first successful sign-in, through the same compare-and-set replacement as SuiteCRM's imported hashes, which never
 * overwrites an administrator's change made meanwhile.
 */
@RequiresRedis
class UserPasswordHashUpgradeIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final PasswordHasher BCRYPT = new PasswordHasher(4);

	private static final PasswordHasher ARGON2 = new PasswordHasher(4, PasswordHasher.Algorithm.ARGON2ID);

	private static final String ARGON2_PREFIX = "{argon2}$argon2id$v=19$m=7168,t=5,p=1$";

	private final ReactiveStringRedisTemplate redis;

	private final RedisKeys keys = new RedisKeys(RedisTestSupport.randomNamespace());

	private final RedisUserStore users;

	UserPasswordHashUpgradeIntegrationTests(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
		this.users = new RedisUserStore(redis, this.keys, JSON);
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block(TIMEOUT);
	}

	@Test
	void passwordGrantWhenBcryptUserOnAnArgon2idGatewayThenTheHashBecomesArgon2idAndTheNextSignInStillWorks() {
		User alice = this.users.save(new User("u-alice", "alice", BCRYPT.hash("alice-password-1"), true, false))
			.block(TIMEOUT);

		try (ConfigurableApplicationContext gateway = TestGateways.start(List.of("server.port=0",
				"portcullis.store=redis", "spring.data.redis.url=" + RedisTestSupport.redisUrl(),
				"portcullis.redis.namespace=" + this.keys.namespace(), "portcullis.secrets.bcrypt-strength=4",
				"portcullis.secrets.user-password-hash=argon2id", "portcullis.bootstrap.clients[0].id=app",
				"portcullis.bootstrap.clients[0].name=App", "portcullis.bootstrap.clients[0].secret=app-client-secret",
				"portcullis.bootstrap.clients[0].grant-types=password"))) {
			WebTestClient http = TestGateways.client(gateway);

			passwordGrant(http, "alice", "alice-password-wrong").expectStatus().isBadRequest();
			assertThat(storedHash()).as("a failed sign-in changes nothing").isEqualTo(alice.passwordHash());

			passwordGrant(http, "alice", "alice-password-1").expectStatus().isOk().expectBody().jsonPath("$.access_token")
				.isNotEmpty();
			String upgraded = storedHash();
			assertThat(upgraded).startsWith(ARGON2_PREFIX);
			assertThat(this.users.findById("u-alice").block(TIMEOUT))
				.isEqualTo(new User("u-alice", "alice", upgraded, true, false));

			passwordGrant(http, "alice", "alice-password-1").expectStatus().isOk();
			passwordGrant(http, "alice", "alice-password-wrong").expectStatus().isBadRequest();
			assertThat(storedHash()).as("an Argon2id hash at the configured parameters is kept").isEqualTo(upgraded);
		}
	}

	/**
	 * The race the compare-and-set settles: the sign-in checked the old password against the user as it was read,
	 * and an administrator reset the password before the upgrade was written. The reset stays; the old password does
	 * not come back under Argon2id.
	 */
	@Test
	void authenticateWhenAnAdministratorResetThePasswordDuringTheCheckThenTheResetIsKept() {
		User read = new User("u-alice", "alice", BCRYPT.hash("alice-password-1"), true, false);
		User reset = new User(read.id(), read.username(), ARGON2.hash("alice-password-2"), true, false);
		this.users.save(reset).block(TIMEOUT);
		UserAuthenticator racing = new UserAuthenticator(new DelegatingUserStore(this.users) {
			@Override
			public Mono<User> findByUsername(String username) {
				return Mono.just(read);
			}
		}, ARGON2, UnitTestFixtures.hashing(Schedulers.boundedElastic()),
				UnitTestFixtures.guard(new MutableClock(UnitTestFixtures.START)));

		StepVerifier.create(racing.authenticate("alice", "alice-password-1")).expectNext(read).verifyComplete();

		assertThat(this.users.findById("u-alice").block(TIMEOUT)).isEqualTo(reset);
	}

	private WebTestClient.ResponseSpec passwordGrant(WebTestClient http, String username, String password) {
		return http.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=password&client_id=app&client_secret=app-client-secret&username=" + username
					+ "&password=" + password)
			.exchange();
	}

	private String storedHash() {
		return this.users.findById("u-alice").block(TIMEOUT).passwordHash();
	}

}
