package dev.portcullis.store.inmemory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.portcullis.store.RevocationStore;
import reactor.core.publisher.Mono;

/**
 * Revoked {@code jti}s in this process's memory, each forgotten once its token would have expired.
 */
public class InMemoryRevocationStore implements RevocationStore {

	private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

	private final Clock clock;

	private volatile Instant nextPurge = Instant.MIN;

	public InMemoryRevocationStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Mono<Void> revoke(String jti, Instant expiresAt) {
		return Mono.fromRunnable(() -> revokeNow(jti, expiresAt));
	}

	@Override
	public Mono<Boolean> isRevoked(String jti) {
		return Mono.fromSupplier(() -> {
			Instant expiresAt = this.revoked.get(jti);
			return expiresAt != null && expiresAt.isAfter(this.clock.instant());
		});
	}

	void revokeNow(String jti, Instant expiresAt) {
		Instant now = this.clock.instant();
		// a sweep is one pass over every entry: at most once a second (isRevoked checks expiry anyway)
		if (!now.isBefore(this.nextPurge)) {
			this.nextPurge = now.plusSeconds(1);
			this.revoked.values().removeIf((expiry) -> !expiry.isAfter(now));
		}
		if (expiresAt.isAfter(now)) {
			this.revoked.merge(jti, expiresAt, (a, b) -> a.isAfter(b) ? a : b);
		}
	}

}
