package dev.portcullis.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link StoreSelectionEnvironmentPostProcessor}.
 */
class StoreSelectionEnvironmentPostProcessorTests {

	private static final String HEALTH = "management.health.redis.enabled";

	private final StoreSelectionEnvironmentPostProcessor postProcessor = new StoreSelectionEnvironmentPostProcessor();

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void postProcessEnvironmentWhenNothingConfiguredThenMemoryAndRedisHealthOff() {
		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("memory");
		assertThat(this.environment.getProperty(HEALTH)).isEqualTo("false");
	}

	@Test
	void postProcessEnvironmentWhenRedisUrlConfiguredThenRedis() {
		this.environment.setProperty("spring.data.redis.url", "redis://localhost:6379");

		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("redis");
		assertThat(this.environment.containsProperty(HEALTH)).isFalse();
	}

	@Test
	void postProcessEnvironmentWhenRedisHostConfiguredThenRedis() {
		this.environment.setProperty("spring.data.redis.host", "redis.internal");

		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("redis");
		assertThat(this.environment.containsProperty(HEALTH)).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			spring.data.redis.sentinel.master   | mymaster
			spring.data.redis.sentinel.nodes    | 10.0.0.1:26379,10.0.0.2:26379
			spring.data.redis.sentinel.nodes[0] | 10.0.0.1:26379
			spring.data.redis.cluster.nodes     | 10.0.0.1:6379,10.0.0.2:6379
			spring.data.redis.cluster.nodes[0]  | 10.0.0.1:6379
			spring.data.redis.port              | 6380
			spring.data.redis.password          | secret
			""")
	void postProcessEnvironmentWhenOnlySentinelClusterOrOtherConnectionSettingThenRedis(String name, String value) {
		this.environment.setProperty(name, value);

		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("redis");
	}

	@Test
	void postProcessEnvironmentWhenOnlyRedisTuningSettingsThenMemory() {
		// application.yml itself sets these: they say nothing about where a Redis is
		this.environment.setProperty("spring.data.redis.timeout", "2s");
		this.environment.setProperty("spring.data.redis.connect-timeout", "1s");

		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("memory");
	}

	@Test
	void postProcessEnvironmentWhenMemoryExplicitAndRedisConfiguredThenStartFailsNamingBoth() {
		this.environment.setProperty("portcullis.store", "memory");
		this.environment.setProperty("spring.data.redis.cluster.nodes", "10.0.0.1:6379");

		assertThatIllegalStateException().isThrownBy(this::process)
			.withMessageContaining("portcullis.store=memory")
			.withMessageContaining("spring.data.redis.cluster.nodes")
			.withMessageContaining("portcullis.memory-store-despite-redis-settings=true");
	}

	@Test
	void postProcessEnvironmentWhenMemoryExplicitAndRedisConfiguredAndConfirmedThenMemory() {
		this.environment.setProperty("portcullis.store", "memory");
		this.environment.setProperty("spring.data.redis.url", "redis://localhost:6379");
		this.environment.setProperty("portcullis.memory-store-despite-redis-settings", "true");

		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("memory");
		assertThat(this.environment.getProperty(HEALTH)).isEqualTo("false");
	}

	@Test
	void postProcessEnvironmentWhenRedisExplicitAndNoRedisConfiguredThenExplicitWins() {
		this.environment.setProperty("portcullis.store", "redis");

		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("redis");
		assertThat(this.environment.containsProperty(HEALTH)).isFalse();
	}

	@Test
	void postProcessEnvironmentWhenExplicitInUpperCaseThenLowerCased() {
		this.environment.setProperty("portcullis.store", "MEMORY");

		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("memory");
		assertThat(this.environment.getProperty(HEALTH)).isEqualTo("false");
	}

	@Test
	void postProcessEnvironmentWhenExplicitIsBlankThenChosenAsIfAbsent() {
		this.environment.setProperty("portcullis.store", " ");
		this.environment.setProperty("spring.data.redis.host", "redis.internal");

		process();

		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("redis");
	}

	@Test
	void postProcessEnvironmentWhenProcessedThenSelectionTakesPrecedenceOverOtherSources() {
		this.environment.setProperty("portcullis.store", "Redis");

		process();

		assertThat(this.environment.getPropertySources().iterator().next().getName())
			.isEqualTo("portcullisStoreSelection");
		assertThat(this.environment.getProperty("portcullis.store")).isEqualTo("redis");
	}

	private void process() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
	}

}
