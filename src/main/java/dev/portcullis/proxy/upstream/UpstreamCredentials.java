package dev.portcullis.proxy.upstream;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.portcullis.support.LogSafe;
import dev.portcullis.support.SecureIds;
import dev.portcullis.support.SingleFlight;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The backend tokens of the gateway's credentials: read from the shared store while fresh, renewed at
 * {@link BackendToken#RENEW_AT} of their lifetime while still handed out, and obtained from the backend when there is
 * none. One request per credential at a time within a replica (later callers join the running one), and one replica
 * at a time (a lock in the store; the others wait for the token it saves).
 *
 * <p>Metrics: {@value #FETCHES} (tags {@code credential}, {@code outcome} = {@code success}/{@code failure}),
 * {@value #CACHE_HITS} and {@value #DROPPED} (tag {@code credential}). Each fetch is logged, never with the token.
 */
public final class UpstreamCredentials {

	static final String FETCHES = "portcullis.upstream.token.fetches";

	static final String CACHE_HITS = "portcullis.upstream.token.cache.hits";

	static final String DROPPED = "portcullis.upstream.token.dropped";

	private static final Logger logger = LoggerFactory.getLogger(UpstreamCredentials.class);

	/** Longest a replica holds the fetch lock: a replica that dies with it stops the others only this long. */
	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

	/** How often a replica that waits for another's fetch looks for its token. */
	private static final Duration WAIT_STEP = Duration.ofMillis(50);

	private final Map<String, UpstreamCredential> credentials;

	private final BackendTokenStore store;

	private final BackendTokenClient client;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Duration lockWait;

	private final SingleFlight<BackendToken> fetches = new SingleFlight<>();

	/**
	 * The token this replica last used per credential, so that the proxy's hot path asks Redis only once the token
	 * is due for renewal or refused.
	 */
	private final Map<String, BackendToken> known = new ConcurrentHashMap<>();

	/** This replica, as the owner of fetch locks. */
	private final String owner = SecureIds.randomHex(16);

	/**
	 * @param lockWait how long a replica waits for the token another replica is fetching before it asks the backend
	 * itself
	 */
	public UpstreamCredentials(Map<String, UpstreamCredential> credentials, BackendTokenStore store,
			BackendTokenClient client, Clock clock, MeterRegistry meters, Duration lockWait) {
		// in the order of the settings, which error messages list
		this.credentials = Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
		this.store = store;
		this.client = client;
		this.clock = clock;
		this.meters = meters;
		this.lockWait = lockWait;
	}

	/** The names of the configured credentials. */
	public Set<String> names() {
		return this.credentials.keySet();
	}

	/** The token endpoint of the credential, which tells its backend; {@code null} when none has that name. */
	public @Nullable URI tokenUri(String name) {
		UpstreamCredential credential = this.credentials.get(name);
		return (credential != null) ? credential.tokenUri() : null;
	}

	/**
	 * A token of the credential the backend will accept now.
	 *
	 * @throws IllegalArgumentException when no credential has that name (a configuration mistake, caught at start)
	 */
	public Mono<BackendToken> token(String name) {
		UpstreamCredential credential = this.credentials.get(name);
		if (credential == null) {
			return Mono.error(new IllegalArgumentException("No backend credential named " + name));
		}
		BackendToken known = this.known.get(name);
		if (known != null && this.clock.instant().isBefore(known.renewAt())) {
			// the same token as in the store until it is renewed or refused, which this replica sees for itself
			this.meters.counter(CACHE_HITS, "credential", name).increment();
			return Mono.just(known);
		}
		// @formatter:off
		return this.store.find(name)
				.filter((token) -> this.clock.instant().isBefore(token.expiresAt()))
				.doOnNext((token) -> {
					this.meters.counter(CACHE_HITS, "credential", name).increment();
					if (this.clock.instant().isBefore(token.renewAt())) {
						this.known.put(name, token);
					}
					else {
						renewInBackground(credential);
					}
				})
				.switchIfEmpty(Mono.defer(() -> obtain(credential)));
		// @formatter:on
	}

	/**
	 * The backend refused {@code token} (401): forgets it, unless it was replaced meanwhile, so that the next call
	 * obtains a new one.
	 */
	public Mono<Void> drop(String name, BackendToken token) {
		logger.info("Backend refused the token of credential {} ({}): dropped", name, token.fingerprint());
		this.meters.counter(DROPPED, "credential", name).increment();
		this.known.computeIfPresent(name, (key, known) -> known.fingerprint().equals(token.fingerprint()) ? null : known);
		return this.store.remove(name, token.fingerprint());
	}

	private void renewInBackground(UpstreamCredential credential) {
		// the caller goes on with the current token; a failed renewal leaves it in place until it expires
		obtain(credential).subscribe((token) -> {
		}, (ex) -> logger.warn("Renewing the backend token of {} failed: {}", credential.name(), ex.getMessage()));
	}

	/** A fresh token, fetched by one caller of this replica for all of them. */
	private Mono<BackendToken> obtain(UpstreamCredential credential) {
		// every caller that joined goes on from here: off the thread that delivered the token (a Redis or HTTP client
		// thread), which would otherwise carry a burst of requests one after the other, and Redis's answers with them
		return this.fetches.run(credential.name(), () -> lockedFetch(credential)).publishOn(Schedulers.parallel());
	}

	private Mono<BackendToken> lockedFetch(UpstreamCredential credential) {
		String name = credential.name();
		// @formatter:off
		return this.store.lock(name, this.owner, LOCK_TIMEOUT)
				.flatMap((locked) -> locked
						// another replica may have saved one between our read and the lock
						? freshInStore(name).switchIfEmpty(Mono.defer(() -> fetchAndSave(credential)))
								.flatMap((token) -> this.store.unlock(name, this.owner).thenReturn(token))
								.onErrorResume((ex) -> this.store.unlock(name, this.owner).then(Mono.error(ex)))
						: waitForOtherReplica(credential));
		// @formatter:on
	}

	/** A token in the store that needs no renewal yet. */
	private Mono<BackendToken> freshInStore(String name) {
		// @formatter:off
		return this.store.find(name)
				.filter((token) -> this.clock.instant().isBefore(token.renewAt()))
				.doOnNext((token) -> this.known.put(name, token));
		// @formatter:on
	}

	private Mono<BackendToken> waitForOtherReplica(UpstreamCredential credential) {
		int steps = (int) Math.max(1, this.lockWait.toMillis() / WAIT_STEP.toMillis());
		// @formatter:off
		return freshInStore(credential.name())
				.repeatWhenEmpty(steps, (empties) -> empties.delayElements(WAIT_STEP))
				// the other replica failed, or died holding the lock: ask the backend ourselves
				.switchIfEmpty(Mono.defer(() -> fetchAndSave(credential)));
		// @formatter:on
	}

	private Mono<BackendToken> fetchAndSave(UpstreamCredential credential) {
		String name = credential.name();
		long started = System.nanoTime();
		// @formatter:off
		return this.client.fetch(credential)
				.flatMap((token) -> this.store.save(name, token).thenReturn(token))
				.doOnNext((token) -> this.known.put(name, token))
				.doOnNext((token) -> {
					this.meters.counter(FETCHES, "credential", name, "outcome", "success").increment();
					logger.info("Obtained a backend token for credential {} from {} in {} ms ({}, expires {})", name,
							LogSafe.clean(credential.tokenUri().toString()), (System.nanoTime() - started) / 1_000_000,
							token.fingerprint(), token.expiresAt());
				})
				.doOnError((ex) -> {
					this.meters.counter(FETCHES, "credential", name, "outcome", "failure").increment();
					logger.warn("Could not obtain a backend token for credential {} from {}: {}", name,
							LogSafe.clean(credential.tokenUri().toString()), LogSafe.clean(ex.getMessage()));
				});
		// @formatter:on
	}

}
