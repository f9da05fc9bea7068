package dev.portcullis.oauth2.token;

import dev.portcullis.oauth2.store.SigningKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps {@link CurrentSigningKeys} in step with the {@link SigningKeyStore}: called at once when a change is announced
 * ({@link #refreshSoon()}), and every few seconds as a fallback for an announcement that was missed (a dropped
 * subscription), so that every replica uses a change within seconds and without a restart. A store that cannot be read leaves the keys
 * in use as they are: they stay valid, and the next poll tries again.
 */
public final class SigningKeySync {

	private static final Logger logger = LoggerFactory.getLogger(SigningKeySync.class);

	private final SigningKeyStore store;

	private final CurrentSigningKeys keys;

	public SigningKeySync(SigningKeyStore store, CurrentSigningKeys keys) {
		this.store = store;
		this.keys = keys;
	}

	/**
	 * Reads the stored set and puts it in use. The new signer is made on the bounded elastic scheduler (its first
	 * signature may read the platform's entropy), never on the thread the store answers on.
	 */
	public Mono<Boolean> refresh() {
		// @formatter:off
		return this.store.load()
				.publishOn(Schedulers.boundedElastic())
				.filter((set) -> set.active().isPresent())
				.map(this.keys::update)
				.defaultIfEmpty(false);
		// @formatter:on
	}

	/** Refreshes now, without waiting for it; failures are logged. */
	public void refreshSoon() {
		refresh().subscribe(null, (ex) -> logger.warn("Could not read the signing keys ({}); the keys in use stay",
				ex.toString()));
	}

}
