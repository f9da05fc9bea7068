package dev.portcullis.config;

import java.time.Clock;

import dev.portcullis.store.AuthorizationStore;
import dev.portcullis.store.ClientStore;
import dev.portcullis.store.RevocationStore;
import dev.portcullis.store.SigningKeyStore;
import dev.portcullis.store.UserStore;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.store.inmemory.InMemorySigningKeyStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The stores: Redis or this process's memory, as {@code portcullis.store} says (settled by
 * {@link StoreSelectionEnvironmentPostProcessor}).
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = StoreSelectionEnvironmentPostProcessor.STORE, havingValue = "memory")
	static class InMemoryStores {

		private static final Logger logger = LoggerFactory.getLogger(InMemoryStores.class);

		InMemoryStores() {
			logger.warn("Portcullis keeps clients, users, tokens and revocations in memory: they are lost on restart "
					+ "and not shared between replicas. Set spring.data.redis.url (or portcullis.store=redis) for production.");
		}

		@Bean
		ClientStore clientStore() {
			return new InMemoryClientStore();
		}

		@Bean
		UserStore userStore() {
			return new InMemoryUserStore();
		}

		@Bean
		InMemoryRevocationStore revocationStore(Clock clock) {
			return new InMemoryRevocationStore(clock);
		}

		@Bean
		AuthorizationStore authorizationStore(InMemoryRevocationStore revocations, Clock clock) {
			return new InMemoryAuthorizationStore(revocations, clock);
		}

		@Bean
		SigningKeyStore signingKeyStore() {
			return new InMemorySigningKeyStore();
		}

	}

}
