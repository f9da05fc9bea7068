package dev.portcullis.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

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

	@Test
	void postProcessEnvironmentWhenMemoryExplicitAndRedisConfiguredThenExplicitWins() {
		this.environment.setProperty("portcullis.store", "memory");
		this.environment.setProperty("spring.data.redis.url", "redis://localhost:6379");

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
