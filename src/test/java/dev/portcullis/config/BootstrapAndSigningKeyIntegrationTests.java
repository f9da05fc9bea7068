package dev.portcullis.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.RsaKeys;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starts and restarts whole gateways against one Redis, as replicas and redeployments do: bootstrap entries keep
 * their ids and hashes across restarts, and the generated signing key is shared through the store.
 */
@RequiresRedis
@ExtendWith(OutputCaptureExtension.class)
class BootstrapAndSigningKeyIntegrationTests {

	@Test
	void restartWhenSameBootstrapThenSameClientSameHashAndSameSigningKey() {
		String namespace = RedisTestSupport.randomNamespace();
		List<String> properties = bootstrap(namespace, "first-secret");

		RegisteredClient first;
		String firstKid;
		try (ConfigurableApplicationContext gateway = start(properties)) {
			first = gateway.getBean(ClientStore.class).findAll().single().block(Duration.ofSeconds(5));
			firstKid = gateway.getBean(CurrentSigningKeys.class).current().signer().kid();
			User user = gateway.getBean(UserStore.class).findByUsername("SYNC-USER").block(Duration.ofSeconds(5));
			assertThat(user).isNotNull();
			assertThat(first.associatedUserId()).isEqualTo(user.id());
			assertThat(first.grantTypes()).containsExactly(GrantType.CLIENT_CREDENTIALS);
			assertThat(first.confidential()).isTrue();
		}
		try (ConfigurableApplicationContext restarted = start(properties)) {
			RegisteredClient again = restarted.getBean(ClientStore.class).findAll().single().block(Duration.ofSeconds(5));
			assertThat(again).as("same id, secret not rehashed").isEqualTo(first);
			assertThat(restarted.getBean(CurrentSigningKeys.class).current().signer().kid()).as("key kept in the store")
				.isEqualTo(firstKid);
		}
		try (ConfigurableApplicationContext rotated = start(bootstrap(namespace, "second-secret"))) {
			RegisteredClient changed = rotated.getBean(ClientStore.class).findById(first.id()).block(Duration.ofSeconds(5));
			PasswordHasher hasher = rotated.getBean(PasswordHasher.class);
			assertThat(hasher.matches("second-secret", changed.secretHash())).isTrue();
			assertThat(hasher.matches("first-secret", changed.secretHash())).isFalse();
		}
	}

	@Test
	void startWhenSigningKeyConfiguredThenItWinsOverTheStoredOne() {
		RSAKey configured = RsaKeys.generate();
		String pem = pem(configured);
		List<String> properties = new ArrayList<>(bootstrap(RedisTestSupport.randomNamespace(), "crm-sync-secret"));
		properties.add("portcullis.signing.private-key=" + pem);

		try (ConfigurableApplicationContext gateway = start(properties)) {
			assertThat(gateway.getBean(CurrentSigningKeys.class).current().signer().kid()).isEqualTo(configured.getKeyID());
		}
	}

	@Test
	void startWhenRedisKeepsTheKeysAndNoEncryptionKeyThenRefusesNamingTheSetting() {
		List<String> properties = new ArrayList<>(bootstrap(RedisTestSupport.randomNamespace(), "crm-sync-secret"));
		properties.add("portcullis.secrets.encryption-key=");

		assertThatThrownBy(() -> start(properties).close()).hasRootCauseInstanceOf(IllegalStateException.class)
			.rootCause()
			.hasMessageContaining("portcullis.secrets.encryption-key is not set")
			.hasMessageContaining("openssl rand -base64 32");
	}

	/** Review: docker-compose.yml's fallback encryption key is published; a gateway using it says so at start. */
	@Test
	void startWhenEncryptionKeyIsTheDemoValueThenWarns(CapturedOutput output) {
		List<String> demo = new ArrayList<>(bootstrap(RedisTestSupport.randomNamespace(), "crm-sync-secret"));
		demo.add("portcullis.secrets.encryption-key=ZGVtby1lbmNyeXB0aW9uLWtleS1jaGFuZ2UtbWUtMzI=");

		start(demo).close();
		String demoStart = output.getOut();
		start(bootstrap(RedisTestSupport.randomNamespace(), "crm-sync-secret")).close();
		String otherStart = output.getOut().substring(demoStart.length());

		assertThat(demoStart).contains("WARN").contains("portcullis.secrets.encryption-key is the demo value");
		assertThat(otherStart).contains("Signing access tokens with the keys kept in the store")
			.doesNotContain("encryption-key is the demo value");
	}

	/** Upgrading: the plain key an earlier version kept becomes the active key, so the tokens it signed stay valid. */
	@Test
	void startWhenKeyOfAnEarlierVersionStoredThenItSignsOnAndIsKeptEncrypted() {
		String namespace = RedisTestSupport.randomNamespace();
		RSAKey earlier = RsaKeys.generate();
		try (RedisTestSupport.TestRedis redis = RedisTestSupport.connect()) {
			redis.template().opsForValue().set(namespace + ":signing-key", earlier.toJSONString()).block(Duration.ofSeconds(5));

			try (ConfigurableApplicationContext gateway = start(bootstrap(namespace, "crm-sync-secret"))) {
				assertThat(gateway.getBean(CurrentSigningKeys.class).current().signer().kid()).isEqualTo(earlier.getKeyID());
				// issue 16: the first start of a version that signs EdDSA too adds an Ed25519 key beside it
				assertThat(gateway.getBean(CurrentSigningKeys.class).current().set().active(JWSAlgorithm.EdDSA))
					.isPresent();
			}

			assertThat(redis.template().hasKey(namespace + ":signing-key").block(Duration.ofSeconds(5))).isFalse();
			String stored = redis.template().<String, String>opsForHash().get(namespace + ":signing-keys", "keys")
				.block(Duration.ofSeconds(5));
			assertThat(stored).contains(earlier.getKeyID()).doesNotContain(earlier.getPrivateExponent().toString());
		}
	}

	@Test
	void startWhenKeySetConfiguredThenTheFirstSignsAndEveryOneIsPublished() {
		RSAKey first = RsaKeys.generate();
		RSAKey second = RsaKeys.generate();
		List<String> properties = new ArrayList<>(bootstrap(RedisTestSupport.randomNamespace(), "crm-sync-secret"));
		properties.add("portcullis.secrets.encryption-key=");
		properties.add("portcullis.signing.keys[0].private-key=" + pem(first));
		properties.add("portcullis.signing.keys[0].key-id=first");
		properties.add("portcullis.signing.keys[1].private-key=" + pem(second));
		properties.add("portcullis.signing.keys[1].key-id=second");

		try (ConfigurableApplicationContext gateway = start(properties)) {
			CurrentSigningKeys keys = gateway.getBean(CurrentSigningKeys.class);
			assertThat(keys.current().signer().kid()).isEqualTo("first");
			assertThat(keys.current().published()).containsExactly("first", "second");
		}
	}

	@Test
	void startWhenBootstrapClientInvalidThenFailsNamingIt() {
		List<String> properties = new ArrayList<>(bootstrap(RedisTestSupport.randomNamespace(), "crm-sync-secret"));
		properties.add("portcullis.bootstrap.clients[1].name=broken");
		properties.add("portcullis.bootstrap.clients[1].secret=x");
		properties.add("portcullis.bootstrap.clients[1].grant-types=implicit");

		assertThatThrownBy(() -> start(properties).close()).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("'broken'")
			.hasMessageContaining("unknown grant type 'implicit'");
	}

	private static List<String> bootstrap(String namespace, String secret) {
		return List.of("spring.data.redis.url=" + RedisTestSupport.redisUrl(), "portcullis.redis.namespace=" + namespace,
				"server.port=0", "portcullis.secrets.bcrypt-strength=4",
				"portcullis.bootstrap.users[0].username=sync-user", "portcullis.bootstrap.users[0].password=pw",
				"portcullis.bootstrap.clients[0].name=CRM sync", "portcullis.bootstrap.clients[0].secret=" + secret,
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[0].associated-user=sync-user");
	}

	private static ConfigurableApplicationContext start(List<String> properties) {
		return TestGateways.start(properties);
	}

	private static String pem(RSAKey key) {
		return "-----BEGIN PRIVATE KEY-----\n"
				+ java.util.Base64.getMimeEncoder().encodeToString(toPrivateKey(key).getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
	}

	private static java.security.PrivateKey toPrivateKey(RSAKey key) {
		try {
			return key.toPrivateKey();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
