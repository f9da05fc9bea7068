package dev.portcullis.config;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.portcullis.oauth2.store.AttemptStore;
import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.oauth2.store.RevocationStore;
import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.store.inmemory.InMemoryAttemptStore;
import dev.portcullis.store.inmemory.InMemoryAuditLog;
import dev.portcullis.store.inmemory.InMemoryAuthorizationCodeStore;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import dev.portcullis.store.inmemory.InMemoryConsentStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.store.inmemory.InMemorySigningKeyStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.store.redis.LocalRevocationView;
import dev.portcullis.store.redis.RecentClients;
import dev.portcullis.store.redis.RedisAttemptStore;
import dev.portcullis.store.redis.RedisAuditLog;
import dev.portcullis.store.redis.RedisAuthorizationCodeStore;
import dev.portcullis.store.redis.RedisAuthorizationStore;
import dev.portcullis.store.redis.RedisClientStore;
import dev.portcullis.store.redis.RedisConsentStore;
import dev.portcullis.store.redis.RedisKeys;
import dev.portcullis.store.redis.RedisRevocationStore;
import dev.portcullis.store.redis.RedisSigningKeyStore;
import dev.portcullis.store.redis.RedisUserStore;
import dev.portcullis.store.redis.RevocationEvents;
import dev.portcullis.proxy.upstream.BackendTokenStore;
import dev.portcullis.store.inmemory.InMemoryBackendTokenStore;
import dev.portcullis.store.redis.RedisBackendTokenStore;
import dev.portcullis.support.SecretEncryption;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

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
			logger.warn("Portcullis keeps clients, users, consents, tokens, revocations and the audit log in memory: "
					+ "they are lost on restart and not shared between replicas. Set spring.data.redis.url (or "
					+ "portcullis.store=redis) for production.");
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
		AuthorizationCodeStore authorizationCodeStore(Clock clock) {
			return new InMemoryAuthorizationCodeStore(clock);
		}

		@Bean
		ConsentStore consentStore() {
			return new InMemoryConsentStore();
		}

		@Bean
		SigningKeyStore signingKeyStore() {
			return new InMemorySigningKeyStore();
		}

		@Bean
		AuditLog auditLog() {
			return new InMemoryAuditLog(AuditLog.CAPACITY);
		}

		@Bean
		AttemptStore attemptStore() {
			return new InMemoryAttemptStore();
		}

		@Bean
		BackendTokenStore backendTokenStore(Clock clock) {
			return new InMemoryBackendTokenStore(clock);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = StoreSelectionEnvironmentPostProcessor.STORE, havingValue = "redis")
	static class RedisStores {

		private static final Logger logger = LoggerFactory.getLogger(RedisStores.class);

		/** The encryption key docker-compose.yml falls back to: published, so it protects nothing. */
		static final String DEMO_ENCRYPTION_KEY = "ZGVtby1lbmNyeXB0aW9uLWtleS1jaGFuZ2UtbWUtMzI=";

		/**
		 * The stores' own mapper, independent of spring.jackson.* so that what is stored keeps one format; unknown
		 * properties are ignored so that replicas can be upgraded one at a time.
		 */
		private static final JsonMapper STORE_JSON = JsonMapper.builder()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();

		/**
		 * Fail fast while the connection to Redis is down: a command is refused at once (503) instead of being queued
		 * until the command timeout, so that callers do not pile up and retry during an outage. Lettuce keeps
		 * reconnecting in the background (and subscribes the revocations channel again); a Redis that is connected
		 * but slow still gets the command timeout ({@code spring.data.redis.timeout}).
		 */
		@Bean
		LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
			return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}

		/**
		 * Reconnects at least once a second (Lettuce's default backs off to 30 s), so that the gateway serves again
		 * within a second of Redis coming back after an outage.
		 */
		@Bean
		ClientResourcesBuilderCustomizer reconnectAtLeastEverySecond() {
			return (resources) -> resources
				.reconnectDelay(Delay.exponential(Duration.ZERO, Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
		}

		/**
		 * One write to the socket for the commands sent together: Lettuce flushes every command on its own, and a
		 * token's grant sends four at once (eight at a client's grant cap), each a system call of the gateway and a
		 * read of Redis's on the same core. Netty's handler holds a flush made while replies are being read until the
		 * replies read at once have been handled, and any other flush for one event-loop task, so that the writes
		 * already queued leave with it. The customizer is Lettuce's only one (the builder keeps the last set).
		 */
		@Bean
		ClientResourcesBuilderCustomizer consolidateFlushes() {
			return (resources) -> resources.nettyCustomizer(new NettyCustomizer() {
				@Override
				public void afterChannelInitialized(Channel channel) {
					channel.pipeline().addFirst(new FlushConsolidationHandler(
							FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
				}
			});
		}

		@Bean
		RedisKeys redisKeys(PortcullisProperties properties) {
			return new RedisKeys(properties.getRedis().getNamespace());
		}

		@Bean
		RecentClients recentClients(PortcullisProperties properties, Clock clock) {
			return new RecentClients(properties.getTokens().getRecentClientTtl(), clock);
		}

		@Bean
		ClientStore clientStore(ReactiveStringRedisTemplate redis, RedisKeys keys, RecentClients recentClients,
				Clock clock) {
			return new RedisClientStore(redis, keys, STORE_JSON, recentClients, clock);
		}

		@Bean
		UserStore userStore(ReactiveStringRedisTemplate redis, RedisKeys keys) {
			return new RedisUserStore(redis, keys, STORE_JSON);
		}

		@Bean
		LocalRevocationView localRevocationView(PortcullisProperties properties, Clock clock) {
			return new LocalRevocationView(properties.getProxy().getNotRevokedTtl(), clock);
		}

		@Bean
		RevocationStore revocationStore(ReactiveStringRedisTemplate redis, RedisKeys keys, Clock clock,
				LocalRevocationView view) {
			return new RedisRevocationStore(redis, keys, clock, view);
		}

		@Bean
		AuthorizationStore authorizationStore(ReactiveStringRedisTemplate redis, RedisKeys keys, Clock clock,
				LocalRevocationView view) {
			return new RedisAuthorizationStore(redis, keys, STORE_JSON, clock, view);
		}

		@Bean
		AuthorizationCodeStore authorizationCodeStore(ReactiveStringRedisTemplate redis, RedisKeys keys, Clock clock) {
			return new RedisAuthorizationCodeStore(redis, keys, STORE_JSON, clock);
		}

		@Bean
		ConsentStore consentStore(ReactiveStringRedisTemplate redis, RedisKeys keys) {
			return new RedisConsentStore(redis, keys, STORE_JSON);
		}

		/**
		 * Asked for only when the signing keys are not configured. Private keys are kept in Redis only encrypted:
		 * without {@code portcullis.secrets.encryption-key} the start fails rather than write them in the clear.
		 */
		@Bean
		@Lazy
		SigningKeyStore signingKeyStore(ReactiveStringRedisTemplate redis, RedisKeys keys,
				PortcullisProperties properties, Clock clock) {
			return new RedisSigningKeyStore(redis, keys, STORE_JSON, encryption(properties.getSecrets(),
					"the private signing keys", " or configure the signing keys "
							+ "(portcullis.signing.private-key or portcullis.signing.keys)"),
					clock);
		}

		/**
		 * The tokens backends issued to the gateway, shared by every replica and kept only encrypted: with backend
		 * credentials configured, the start fails without {@code portcullis.secrets.encryption-key}.
		 */
		@Bean
		BackendTokenStore backendTokenStore(ReactiveStringRedisTemplate redis, RedisKeys keys,
				PortcullisProperties properties, Clock clock) {
			if (properties.getUpstream().getCredentials().isEmpty()) {
				// no backend credential: nothing is ever kept, and no encryption key is needed for it
				return new InMemoryBackendTokenStore(clock);
			}
			return new RedisBackendTokenStore(redis, keys, encryption(properties.getSecrets(),
					"the tokens of portcullis.upstream.credentials", ""), clock);
		}

		private static SecretEncryption encryption(PortcullisProperties.Secrets secrets, String kept,
				String alternative) {
			if (secrets.getEncryptionKey() == null || secrets.getEncryptionKey().isBlank()) {
				throw new IllegalStateException("portcullis.secrets.encryption-key is not set: the Redis store keeps "
						+ kept + ", and only encrypted. Set it (PORTCULLIS_SECRETS_ENCRYPTION_KEY) to the output "
						+ "of 'openssl rand -base64 32', the same on every replica" + alternative);
			}
			if (DEMO_ENCRYPTION_KEY.equals(secrets.getEncryptionKey().strip())) {
				logger.warn("portcullis.secrets.encryption-key is the demo value of docker-compose.yml, which is "
						+ "published: anyone who reads Redis (or a backup of it) can decrypt " + kept + ". Set "
						+ "PORTCULLIS_SECRETS_ENCRYPTION_KEY to the output of 'openssl rand -base64 32' "
						+ "(keep the demo value in portcullis.secrets.previous-encryption-keys until the keys change once)");
			}
			try {
				return new SecretEncryption(secrets.getEncryptionKey(), secrets.getPreviousEncryptionKeys());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("portcullis.secrets: " + ex.getMessage(), ex);
			}
		}

		@Bean
		AuditLog auditLog(ReactiveStringRedisTemplate redis, RedisKeys keys) {
			return new RedisAuditLog(redis, keys, STORE_JSON, AuditLog.CAPACITY);
		}

		@Bean
		AttemptStore attemptStore(ReactiveStringRedisTemplate redis, RedisKeys keys) {
			return new RedisAttemptStore(redis, keys);
		}

		/**
		 * Feeds revocation announcements to the local view and times them ({@value RevocationEvents#TIMER}), and client
		 * changes to the recent clients; Redis only, memory mode has none.
		 */
		@Bean
		RevocationEvents revocationEvents(LettuceConnectionFactory connectionFactory, RedisKeys keys,
				LocalRevocationView view, RecentClients recentClients, ObjectProvider<MeterRegistry> registry,
				Clock clock) {
			RevocationEvents events = new RevocationEvents(connectionFactory, keys, view,
					registry.getIfAvailable(() -> Metrics.globalRegistry), clock);
			events.announceClientChangesTo(recentClients);
			return events;
		}

	}

}
