package dev.portcullis.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settles {@code portcullis.store} before any bean is created: an explicit value wins; otherwise Redis when any Redis
 * connection setting is there (standalone, Sentinel or Cluster), else memory. An explicit "memory" beside Redis
 * connection settings stops the start unless confirmed: replicas sharing those settings would each keep their own
 * tokens and revocations, and the only sign of it would be a log line. In memory mode Redis's health contributor and
 * Spring Session's Redis repository are switched off, since no Redis is expected; in Redis mode readiness includes
 * it.
 */
public class StoreSelectionEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String STORE = PortcullisProperties.PREFIX + ".store";

	static final String MEMORY_CONFIRMED = PortcullisProperties.PREFIX + ".memory-store-despite-redis-settings";

	/** Spring Boot's settings that say where Redis is or how to log in to it (not tuning such as timeouts). */
	private static final List<String> REDIS_CONNECTION_SETTINGS = List.of("url", "host", "port", "username",
			"password", "database", "sentinel.master", "sentinel.nodes", "cluster.nodes");

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String store = environment.getProperty(STORE);
		Binder binder = Binder.get(environment);
		Optional<String> redisSetting = redisConnectionSetting(binder);
		if (store == null || store.isBlank()) {
			store = redisSetting.isPresent() ? "redis" : "memory";
		}
		else if ("memory".equalsIgnoreCase(store.trim()) && redisSetting.isPresent()
				&& !environment.getProperty(MEMORY_CONFIRMED, Boolean.class, false)) {
			throw new IllegalStateException(STORE + "=memory, but " + redisSetting.get() + " is set: every replica "
					+ "would keep tokens and revocations of its own. Remove " + STORE + " to use that Redis, or set "
					+ MEMORY_CONFIRMED + "=true to run on memory anyway.");
		}
		store = store.trim();
		Map<String, Object> selection = new HashMap<>();
		selection.put(STORE, store.toLowerCase(Locale.ROOT));
		if ("memory".equalsIgnoreCase(store)) {
			selection.put("management.health.redis.enabled", "false");
			// browser sessions stay in WebFlux's in-memory store: Spring Session would otherwise take them to the
			// Redis connection Boot configures even when none is wanted (localhost:6379)
			List<String> excluded = new ArrayList<>(binder.bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
			excluded.add(SessionDataRedisAutoConfiguration.class.getName());
			selection.put(EXCLUDE, String.join(",", excluded));
		}
		else if (environment.getProperty("management.endpoint.health.group.readiness.include") == null) {
			// not ready without its store: a replica that cannot reach Redis takes no traffic until it can again
			selection.put("management.endpoint.health.group.readiness.include", "readinessState,redis");
		}
		environment.getPropertySources().addFirst(new MapPropertySource("portcullisStoreSelection", selection));
	}

	/** The first Redis connection setting found, by name, in any form Boot binds (lists indexed or comma-separated). */
	private static Optional<String> redisConnectionSetting(Binder binder) {
		for (String setting : REDIS_CONNECTION_SETTINGS) {
			String name = "spring.data.redis." + setting;
			boolean present = setting.endsWith(".nodes")
					? binder.bind(name, Bindable.listOf(String.class)).map((nodes) -> !nodes.isEmpty()).orElse(false)
					: binder.bind(name, String.class).map((value) -> !value.isBlank()).orElse(false);
			if (present) {
				return Optional.of(name);
			}
		}
		return Optional.empty();
	}

}
