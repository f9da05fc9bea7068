package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.portcullis.oauth2.client.RegisteredClient;
import org.jspecify.annotations.Nullable;

/**
 * This replica's short memory of clients as read from Redis, so that a busy client's token requests are authenticated
 * without a Redis read each (the grant is checked against the stored client once issued, whatever this answered). A
 * client is trusted for at most the configured time, and is forgotten sooner:
 * <ul>
 * <li>when a change of it is announced on the revocations channel ({@link RevocationEvents}), which the client
 * scripts publish to, on every replica (milliseconds);</li>
 * <li>when this replica changed it itself, as soon as the script has answered;</li>
 * <li>entirely, whenever announcements may have been missed: nothing is remembered unless the revocations channel
 * is subscribed, and everything is forgotten when its connection drops.</li>
 * </ul>
 * A client read while a change was announced is not remembered; a client that does not exist is never remembered,
 * so that one created through another replica works there at once.
 */
public final class RecentClients {

	/** Bounds the memory: past it, the memory starts over. */
	private static final int MAX_ENTRIES = 10_000;

	private final long ttlMillis;

	private final Clock clock;

	private final Map<String, Recent> clients = new ConcurrentHashMap<>();

	/** Counts forgettings, so that a read that raced one is not remembered. */
	private final AtomicLong forgettings = new AtomicLong();

	private volatile boolean announcementsArriving;

	/**
	 * @param ttl how long a client may be trusted when no announcement ends it sooner; zero disables the memory
	 * (every request reads Redis)
	 */
	public RecentClients(Duration ttl, Clock clock) {
		this.ttlMillis = ttl.toMillis();
		this.clock = clock;
	}

	/** A memory that keeps nothing: every request reads Redis. */
	public static RecentClients disabled() {
		return new RecentClients(Duration.ZERO, Clock.systemUTC());
	}

	/** The client as read a moment ago, or {@code null} when it must be read again. */
	@Nullable RegisteredClient get(String clientId) {
		if (!this.announcementsArriving) {
			return null;
		}
		Recent recent = this.clients.get(clientId);
		return (recent != null && recent.until() > this.clock.millis()) ? recent.client() : null;
	}

	/** To be taken before a read and handed to {@link #remember}. */
	long readStarted() {
		return this.forgettings.get();
	}

	/** Remembers a client as read, unless something was forgotten since the read started. */
	void remember(RegisteredClient client, long readStarted) {
		if (this.ttlMillis <= 0 || !this.announcementsArriving || this.forgettings.get() != readStarted) {
			return;
		}
		if (this.clients.size() >= MAX_ENTRIES) {
			this.clients.clear();
		}
		this.clients.put(client.id(), new Recent(client, this.clock.millis() + this.ttlMillis));
	}

	/** The client changed (announced, or by this replica): read it again. */
	void forget(String clientId) {
		this.forgettings.incrementAndGet();
		this.clients.remove(clientId);
	}

	/**
	 * Whether announcements are being received: true once the revocations channel is subscribed, false as soon as
	 * its connection is lost. Everything remembered is forgotten either way.
	 */
	void announcementsArriving(boolean arriving) {
		this.announcementsArriving = arriving;
		this.forgettings.incrementAndGet();
		this.clients.clear();
	}

	private record Recent(RegisteredClient client, long until) {
	}

}
