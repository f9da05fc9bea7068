package dev.portcullis.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settles {@code portcullis.store} before any bean is created: an explicit value wins; otherwise Redis when a Redis
 * connection is configured ({@code spring.data.redis.url} or {@code .host}), else memory. In memory mode Redis's
 * health contributor is switched off, since no Redis is expected; in Redis mode readiness includes it.
 */
public class StoreSelectionEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String STORE = PortcullisProperties.PREFIX + ".store";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String store = environment.getProperty(STORE);
		if (store == null || store.isBlank()) {
			boolean redisConfigured = environment.containsProperty("spring.data.redis.url")
					|| environment.containsProperty("spring.data.redis.host");
			store = redisConfigured ? "redis" : "memory";
		}
		Map<String, Object> selection = new HashMap<>();
		selection.put(STORE, store.toLowerCase(Locale.ROOT));
		if ("memory".equalsIgnoreCase(store)) {
			selection.put("management.health.redis.enabled", "false");
		}
		else if (environment.getProperty("management.endpoint.health.group.readiness.include") == null) {
			// not ready without its store: a replica that cannot reach Redis takes no traffic until it can again
			selection.put("management.endpoint.health.group.readiness.include", "readinessState,redis");
		}
		environment.getPropertySources().addFirst(new MapPropertySource("portcullisStoreSelection", selection));
	}

}
