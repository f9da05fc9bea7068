package dev.portcullis.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import dev.portcullis.admin.AuditTrail;
import dev.portcullis.admin.ClientPolicy;
import dev.portcullis.admin.SigningKeyAdministration;
import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.SigningKey;
import dev.portcullis.oauth2.token.SigningKeyRotation;
import dev.portcullis.oauth2.token.SigningKeySet;
import dev.portcullis.oauth2.token.SigningKeySync;
import dev.portcullis.store.redis.RevocationEvents;
import dev.portcullis.support.RsaKeys;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;

/**
 * The signing keys: configured PEM keys win (every replica must be given the same; the first signs; RSA only, so
 * EdDSA clients get RS256 tokens then); otherwise the key set kept in the store, with an RS256 and an EdDSA key,
 * started by whichever replica starts first, taken over from an earlier Portcullis's single stored key, and followed
 * by every replica as it rotates.
 */
@Configuration(proxyBeanMethods = false)
public class SigningKeyConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SigningKeyConfiguration.class);

	/** How long the start waits for the store; the gateway must not serve without its keys. */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The rules with this installation's times: a next key is published for the JWK Set's max-age plus clients' own
	 * cache time; a retired key is kept for the longest access-token lifetime any client can have (a client's own
	 * lifetime is capped at {@link ClientPolicy#MAX_TOKEN_TTL}) plus the proxy's clock skew.
	 */
	@Bean
	SigningKeyRotation signingKeyRotation(PortcullisProperties properties) {
		PortcullisProperties.Signing signing = properties.getSigning();
		Duration defaultTtl = properties.getTokens().getAccessTokenTtl();
		Duration longest = (defaultTtl.compareTo(ClientPolicy.MAX_TOKEN_TTL) > 0) ? defaultTtl : ClientPolicy.MAX_TOKEN_TTL;
		return new SigningKeyRotation(signing.getJwksMaxAge().plus(signing.getRotation().getClientCacheTime()),
				longest.plus(properties.getProxy().getClockSkew()));
	}

	@Bean
	CurrentSigningKeys signingKeys(PortcullisProperties properties, ObjectProvider<SigningKeyStore> store,
			SigningKeyRotation rotation, Clock clock) {
		SigningKeySet configured = configuredKeys(properties.getSigning(), clock.instant());
		if (configured != null) {
			logger.info("Signing access tokens with the configured key {}; {} key(s) accepted; no Ed25519 key is "
					+ "configured, so clients set to EdDSA get RS256 tokens", configured.active().get().kid(),
					configured.keys().size());
			return new CurrentSigningKeys(configured, clock);
		}
		SigningKeySet stored = startStoredKeys(store.getObject(), rotation, clock);
		logger.info("Signing access tokens with the keys kept in the store, kid {} (RS256) and {} (EdDSA), key set "
				+ "version {}", stored.active().get().kid(),
				stored.active(SigningAlgorithm.EdDSA.jws()).map(SigningKey::kid).orElse("-"), stored.version());
		return new CurrentSigningKeys(stored, clock);
	}

	/**
	 * Follows the stored key set: announcements of a change (Redis) refresh at once, and a poll every
	 * {@code portcullis.signing.refresh-interval} catches a missed one. Nothing to follow when the keys are configured.
	 */
	@Bean
	SmartLifecycle signingKeySync(PortcullisProperties properties, ObjectProvider<SigningKeyStore> store,
			CurrentSigningKeys keys, ObjectProvider<RevocationEvents> events) {
		if (keysConfigured(properties.getSigning())) {
			return new PollingLifecycle(null, properties.getSigning().getRefreshInterval());
		}
		SigningKeySync sync = new SigningKeySync(store.getObject(), keys);
		events.ifAvailable((announcements) -> announcements.onSigningKeysChanged(sync::refreshSoon));
		return new PollingLifecycle(() -> sync.refresh().onErrorResume((ex) -> {
			logger.warn("Could not read the signing keys ({}); the keys in use stay", ex.toString());
			return Mono.just(false);
		}).then(), properties.getSigning().getRefreshInterval());
	}

	@Bean
	SigningKeyAdministration signingKeyAdministration(PortcullisProperties properties,
			ObjectProvider<SigningKeyStore> store, CurrentSigningKeys keys, SigningKeyRotation rotation, AuditTrail audit,
			Clock clock) {
		return new SigningKeyAdministration(keysConfigured(properties.getSigning()) ? null : store.getObject(), keys,
				rotation, audit, clock);
	}

	/**
	 * The rotation schedule, when {@code portcullis.signing.rotation.interval} is set: every replica checks every
	 * {@code check-interval}, and the store's compare-and-set lets one act.
	 */
	@Bean
	SmartLifecycle signingKeyRotationSchedule(PortcullisProperties properties, SigningKeyAdministration administration) {
		PortcullisProperties.Rotation rotation = properties.getSigning().getRotation();
		Duration interval = rotation.getInterval();
		return new PollingLifecycle((interval == null || administration.configured()) ? null
				: () -> administration.rotateIfDue(interval).onErrorResume((ex) -> {
					logger.warn("The signing-key rotation schedule could not run ({}); it tries again", ex.toString());
					return Mono.just(false);
				}).then(), rotation.getCheckInterval());
	}

	/**
	 * The stored set, made on a first start: an earlier Portcullis's single key is taken over as the active key,
	 * else a new key is. Start-up, on the main thread: waiting here is fine. Of replicas starting together, one
	 * stores its set and the others read it.
	 */
	private static SigningKeySet startStoredKeys(SigningKeyStore store, SigningKeyRotation rotation, Clock clock) {
		while (true) {
			SigningKeySet stored = store.load().block(START_TIMEOUT);
			SigningKeySet first = (stored != null) ? stored : SigningKeySet.EMPTY;
			if (first.version() == 0 && first.active().isPresent()) {
				logger.info("Taking the signing key {} kept by an earlier version into the key set",
						first.active().get().kid());
				first = new SigningKeySet(1, first.keys());
			}
			// every algorithm gets its first active key: on a first start, and on the first start of a version that
			// signs with an algorithm the stored set lacks (a new kid: verifiers that cache the JWK Set fetch it again)
			for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
				if (first.active(algorithm.jws()).isEmpty()) {
					first = rotation.start(first, algorithm.newKey(), algorithm.jws(), clock.instant());
				}
			}
			if (stored != null && first == stored) {
				return stored;
			}
			long expected = (stored != null) ? stored.version() : 0;
			SigningKeySet replacement = new SigningKeySet(expected + 1, first.keys());
			if (Boolean.TRUE.equals(store.replace(expected, replacement).block(START_TIMEOUT))) {
				return replacement;
			}
		}
	}

	/** Whether the signing keys come from the configuration rather than the store. */
	static boolean keysConfigured(PortcullisProperties.Signing signing) {
		return !signing.getKeys().isEmpty() || configuredPem(signing.getPrivateKey(), signing.getPrivateKeyLocation(),
				"portcullis.signing.private-key-location") != null;
	}

	private static @Nullable SigningKeySet configuredKeys(PortcullisProperties.Signing signing, Instant now) {
		List<SigningKey> keys = new ArrayList<>();
		if (!signing.getKeys().isEmpty()) {
			for (int i = 0; i < signing.getKeys().size(); i++) {
				PortcullisProperties.ConfiguredKey configured = signing.getKeys().get(i);
				String name = "portcullis.signing.keys[" + i + "]";
				String pem = configuredPem(configured.getPrivateKey(), configured.getPrivateKeyLocation(),
						name + ".private-key-location");
				if (pem == null) {
					throw new IllegalStateException(name + " needs a private-key or a private-key-location");
				}
				keys.add(configuredKey(pem, configured.getKeyId(), name, i == 0, now));
			}
		}
		else {
			String pem = configuredPem(signing.getPrivateKey(), signing.getPrivateKeyLocation(),
					"portcullis.signing.private-key-location");
			if (pem == null) {
				return null;
			}
			keys.add(configuredKey(pem, signing.getKeyId(), "portcullis.signing.private-key", true, now));
		}
		try {
			return new SigningKeySet(1, keys);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("portcullis.signing.keys: " + ex.getMessage(), ex);
		}
	}

	private static SigningKey configuredKey(String pem, @Nullable String keyId, String name, boolean first,
			Instant now) {
		RSAKey key;
		try {
			key = RsaKeys.fromPem(pem, keyId);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(name + ": " + ex.getMessage(), ex);
		}
		return first ? SigningKey.active(key, JWSAlgorithm.RS256, now)
				: SigningKey.configuredRetired(key, JWSAlgorithm.RS256, now);
	}

	private static @Nullable String configuredPem(@Nullable String pem, @Nullable Resource location, String name) {
		if (pem != null && !pem.isBlank()) {
			return pem;
		}
		if (location == null) {
			return null;
		}
		try (InputStream in = location.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + name + " " + location, ex);
		}
	}

	/** Runs a task every interval while the application runs (nothing when there is no task). */
	private static final class PollingLifecycle implements SmartLifecycle {

		private final @Nullable Supplier<Mono<Void>> task;

		private final Duration interval;

		private volatile @Nullable Disposable polling;

		PollingLifecycle(@Nullable Supplier<Mono<Void>> task, Duration interval) {
			this.task = task;
			this.interval = interval;
		}

		@Override
		public void start() {
			Supplier<Mono<Void>> task = this.task;
			this.polling = (task == null) ? Disposables.disposed()
					: Flux.interval(this.interval, this.interval).onBackpressureDrop().concatMap((tick) -> task.get()).subscribe();
		}

		@Override
		public void stop() {
			Disposable polling = this.polling;
			this.polling = null;
			if (polling != null) {
				polling.dispose();
			}
		}

		@Override
		public boolean isRunning() {
			return this.polling != null;
		}

	}

}
