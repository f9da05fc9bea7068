package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.portcullis.oauth2.token.TokenIds;

/**
 * This replica's short memory of "not revoked" answers from Redis, so that the proxy does not ask Redis on every
 * request. An answer is trusted for at most the configured time, and is forgotten sooner:
 * <ul>
 * <li>when a revocation of a token of the same authorization is announced on the revocations channel
 * ({@link RevocationEvents}), which every revoking script publishes to, on every replica (milliseconds);</li>
 * <li>when this replica revoked it itself, as soon as the revoking script has answered;</li>
 * <li>entirely, whenever announcements may have been missed: nothing is remembered unless the revocations channel
 * is subscribed, and everything is forgotten when its connection drops (so an outage is answered 503 at once, as
 * without the view).</li>
 * </ul>
 * An answer that arrives after a revocation was announced during its lookup is not remembered. Entries are kept by
 * authorization id (a {@code jti} starts with it, {@link TokenIds}), so a replica remembers at most one token per
 * authorization and a revocation anywhere in an authorization forgets it.
 */
public final class LocalRevocationView {

	/** Bounds the memory: past it, the view starts over (one Redis lookup per token). */
	private static final int MAX_ENTRIES = 100_000;

	private final long ttlMillis;

	private final Clock clock;

	private final Map<String, NotRevoked> notRevoked = new ConcurrentHashMap<>();

	/** Counts forgettings, so that a lookup that raced one is not remembered. */
	private final AtomicLong forgettings = new AtomicLong();

	private volatile boolean announcementsArriving;

	/**
	 * @param ttl how long a "not revoked" answer may be trusted when no announcement ends it sooner; zero disables
	 * the view (every check asks Redis)
	 */
	public LocalRevocationView(Duration ttl, Clock clock) {
		this.ttlMillis = ttl.toMillis();
		this.clock = clock;
	}

	/** A view that remembers nothing: every check asks Redis. */
	public static LocalRevocationView disabled() {
		return new LocalRevocationView(Duration.ZERO, Clock.systemUTC());
	}

	/** Whether {@code jti} is known, here and now, not to be revoked. */
	boolean isKnownNotRevoked(String jti) {
		if (!this.announcementsArriving || !TokenIds.isIssuedJti(jti)) {
			return false;
		}
		NotRevoked entry = this.notRevoked.get(TokenIds.authorizationIdOf(jti));
		return entry != null && entry.jti().equals(jti) && entry.until() > this.clock.millis();
	}

	/** To be taken before a lookup and handed to {@link #rememberNotRevoked}. */
	long lookupStarted() {
		return this.forgettings.get();
	}

	/** Remembers Redis's "not revoked", unless something was forgotten since the lookup started. */
	void rememberNotRevoked(String jti, long lookupStarted) {
		if (this.ttlMillis <= 0 || !this.announcementsArriving || !TokenIds.isIssuedJti(jti)
				|| this.forgettings.get() != lookupStarted) {
			return;
		}
		if (this.notRevoked.size() >= MAX_ENTRIES) {
			this.notRevoked.clear();
		}
		this.notRevoked.put(TokenIds.authorizationIdOf(jti), new NotRevoked(jti, this.clock.millis() + this.ttlMillis));
	}

	/** A token of this authorization was revoked (announced, or by this replica): ask Redis again. */
	public void forgetAuthorization(String authorizationId) {
		this.forgettings.incrementAndGet();
		this.notRevoked.remove(authorizationId);
	}

	/** A revocation of {@code jti} was announced; anything else announced forgets everything. */
	void announced(String jti) {
		if (TokenIds.isIssuedJti(jti)) {
			forgetAuthorization(TokenIds.authorizationIdOf(jti));
		}
		else {
			forgetAll();
		}
	}

	/**
	 * Whether announcements are being received: true once the revocations channel is subscribed, false as soon as
	 * its connection is lost. Everything remembered is forgotten either way.
	 */
	void announcementsArriving(boolean arriving) {
		this.announcementsArriving = arriving;
		forgetAll();
	}

	/** Whether answers may be taken from memory: the revocations channel is subscribed and its connection up. */
	public boolean isAnnouncementsArriving() {
		return this.announcementsArriving;
	}

	private void forgetAll() {
		this.forgettings.incrementAndGet();
		this.notRevoked.clear();
	}

	private record NotRevoked(String jti, long until) {
	}

}
