package dev.portcullis.store;

import java.time.Duration;

import dev.portcullis.fixtures.TestRegisteredClients;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
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

	/**
	 * {@link TestRegisteredClients#registeredClient()} with one grant and one scope (a set of two has no fixed order),
	 * as the version before the token settings were grouped wrote it.
	 */
	private static final String STORED_BEFORE_GROUPING = "{\"id\":\"client-1\",\"name\":\"Test client\","
			+ "\"secretHash\":\"{bcrypt-sha256}$2a$04$not.a.real.hash.but.shaped.like.one\",\"confidential\":true,"
			+ "\"grantTypes\":[\"password\"],\"associatedUserId\":null,"
			+ "\"redirectUris\":[\"https://client.example/callback\"],\"scopes\":[\"read\"],"
			+ "\"accessTokenTtl\":\"PT30M\",\"refreshTokenTtl\":\"PT168H\",\"refreshTokens\":false}";

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
			assertThat(client.tokenSettings().refreshTokens()).isTrue();
			assertThat(client.issuesRefreshTokens()).isTrue();
		}).expectComplete().verify(Duration.ofSeconds(10));
	}

	/**
	 * A client written before its token settings were grouped loads as it was, with its own lifetimes, without
	 * introspection, which did not exist, and signing RS256, the only algorithm then (issue 16).
	 */
	@Test
	void findByIdWhenStoredBeforeTheTokenSettingsWereGroupedThenLoadedUnchanged() {
		this.redis.opsForValue().set(this.keys.client("client-1"), STORED_BEFORE_GROUPING).block();

		StepVerifier.create(createStore().findById("client-1"))
			.expectNext(TestRegisteredClients.registeredClient().grantTypes(GrantType.PASSWORD).scopes("read").refreshTokens(false).build())
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/**
	 * What is written keeps the flat format, with the introspection, backend-credential and signing-algorithm settings
	 * added at its end, so that a replica not yet upgraded reads it (the stores ignore properties they do not know).
	 */
	@Test
	void saveWhenTokenSettingsGroupedThenStoredInTheFormatBeforeWithIntrospectionAndSigningAlgorithmAdded() {
		RegisteredClient client = TestRegisteredClients.registeredClient()
			.grantTypes(GrantType.PASSWORD)
			.scopes("read")
			.refreshTokens(false)
			.build();

		createStore().save(client).block(Duration.ofSeconds(10));

		assertThat(this.redis.opsForValue().get(this.keys.client("client-1")).block(Duration.ofSeconds(10)))
			.isEqualTo(STORED_BEFORE_GROUPING.substring(0, STORED_BEFORE_GROUPING.length() - 1)
					+ ",\"introspection\":false,\"backendCredential\":null,\"signingAlgorithm\":\"RS256\"}");
	}

	/** Issue 15: a client stored before it could name a backend credential acts with the route's default. */
	@Test
	void findByIdWhenStoredBeforeTheBackendCredentialSettingThenTheRoutesDefault() {
		this.redis.opsForValue()
			.set(this.keys.client("client-1"),
					STORED_BEFORE_GROUPING.substring(0, STORED_BEFORE_GROUPING.length() - 1) + ",\"introspection\":true}")
			.block();

		StepVerifier.create(createStore().findById("client-1"))
			.expectNext(TestRegisteredClients.registeredClient().grantTypes(GrantType.PASSWORD).scopes("read")
				.refreshTokens(false).introspection(true).build())
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/** Issue 15: the backend credential a client names is kept, beside the other settings in the flat format. */
	@Test
	void saveWhenTheClientNamesABackendCredentialThenLoadedWithIt() {
		RegisteredClient client = TestRegisteredClients.registeredClient().backendCredential("sales").build();

		createStore().save(client).block(Duration.ofSeconds(10));

		assertThat(this.redis.opsForValue().get(this.keys.client("client-1")).block(Duration.ofSeconds(10)))
			.endsWith(",\"backendCredential\":\"sales\",\"signingAlgorithm\":\"RS256\"}");
		StepVerifier.create(createStore().findById("client-1")).expectNext(client).expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/** Issue 15: a client stored in an older format is replaced as read, not as it would be written today. */
	@Test
	void replaceWhenStoredBeforeTheRefreshTokenSettingThenReplacedAsRead() {
		String before = "{\"id\":\"old-client\",\"name\":\"Old\",\"secretHash\":\"{suitecrm-sha256}ab\","
				+ "\"confidential\":true,\"grantTypes\":[\"password\"],\"associatedUserId\":null,\"redirectUris\":[],"
				+ "\"scopes\":[],\"accessTokenTtl\":null,\"refreshTokenTtl\":null}";
		this.redis.opsForValue().set(this.keys.client("old-client"), before).block();
		RegisteredClient read = createStore().findById("old-client").block(Duration.ofSeconds(10));
		RegisteredClient rehashed = read.withSecretHash("{bcrypt-sha256}new");

		StepVerifier.create(createStore().replace(read, rehashed)).expectNext(rehashed).expectComplete()
			.verify(Duration.ofSeconds(10));
		StepVerifier.create(createStore().findById("old-client")).expectNext(rehashed).expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@AfterEach
	void deleteKeys() {
		RedisTestSupport.deleteNamespace(this.redis, this.keys.namespace()).block();
	}

}
