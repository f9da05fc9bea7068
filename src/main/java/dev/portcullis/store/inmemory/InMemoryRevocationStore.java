package dev.portcullis.store.inmemory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.portcullis.oauth2.store.RevocationStore;
import reactor.core.publisher.Mono;

/**
 * Revoked {@code jti}s in this process's memory, each forgotten once its token would have expired. Paired with an
 * {@link InMemoryAuthorizationStore}, which tells it which tokens are still the current token of a live grant (a
 * token that no longer is, is ended as in Redis); on its own, every token counts as current.
 */
public class InMemoryRevocationStore implements RevocationStore {

	private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

	private volatile Predicate<String> currentToken = (jti) -> true;

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
		return Mono.fromSupplier(() -> isRevokedNow(jti));
	}

	/** Everything is in memory: always known. */
	@Override
	public boolean isKnownNotRevoked(String jti) {
		return !isRevokedNow(jti);
	}

	private boolean isRevokedNow(String jti) {
		Instant expiresAt = this.revoked.get(jti);
		return (expiresAt != null && expiresAt.isAfter(this.clock.instant())) || !this.currentToken.test(jti);
	}

	/** Called by the authorization store it is paired with: which tokens are the current one of a live grant. */
	void pairWith(Predicate<String> currentToken) {
		this.currentToken = currentToken;
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
