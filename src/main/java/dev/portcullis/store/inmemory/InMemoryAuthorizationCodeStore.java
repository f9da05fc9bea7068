package dev.portcullis.store.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Authorization codes in this process's memory. One lock guards the codes and the consumed markers together, which is
 * what makes {@link #consume} atomic here; the Redis store gets the same guarantee from a Lua script.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 */
public class InMemoryAuthorizationCodeStore implements AuthorizationCodeStore {

	/** How long a consumed code is remembered past its own expiry until an exchange is recorded, as in Redis. */
	private static final Duration CONSUMED_RETENTION = Duration.ofDays(1);

	private final Map<String, AuthorizationCode> codes = new HashMap<>();

	private final Map<String, Consumed> consumed = new HashMap<>();

	private final Clock clock;

	private Instant nextPurge = Instant.MIN;

	public InMemoryAuthorizationCodeStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Mono<Void> issue(String codeHash, AuthorizationCode code) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				Instant now = this.clock.instant();
				purgeExpired(now);
				if (code.expiresAt().isAfter(now)) {
					this.codes.put(codeHash, code);
				}
			}
		});
	}

	@Override
	public Mono<AuthorizationCode> consume(String codeHash) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Instant now = this.clock.instant();
				purgeExpired(now);
				AuthorizationCode code = this.codes.remove(codeHash);
				if (code == null || !code.expiresAt().isAfter(now)) {
					return null;
				}
				this.consumed.put(codeHash, new Consumed("", code.expiresAt().plus(CONSUMED_RETENTION)));
				return code;
			}
		});
	}

	@Override
	public Flux<PendingCode> findPending(int offset, int limit) {
		return Flux.defer(() -> Flux.fromIterable(pending().stream()
			.sorted(Comparator.comparing((PendingCode pending) -> pending.code().expiresAt()).reversed())
			.skip(offset)
			.limit(limit)
			.toList()));
	}

	@Override
	public Mono<Long> countPending() {
		return Mono.fromSupplier(() -> (long) pending().size());
	}

	private List<PendingCode> pending() {
		synchronized (this) {
			Instant now = this.clock.instant();
			return this.codes.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().expiresAt().isAfter(now))
				.map((entry) -> new PendingCode(entry.getKey(), entry.getValue()))
				.toList();
		}
	}

	@Override
	public Mono<Void> recordExchange(String codeHash, String authorizationId, Instant until) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				Instant now = this.clock.instant();
				purgeExpired(now);
				// as in Redis: an until that has passed leaves nothing to revoke, and the marker as it was
				if (until.isAfter(now)) {
					this.consumed.put(codeHash, new Consumed(authorizationId, until));
				}
			}
		});
	}

	@Override
	public Mono<String> findConsumed(String codeHash) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Consumed marker = this.consumed.get(codeHash);
				return (marker != null && marker.until().isAfter(this.clock.instant())) ? marker.authorizationId()
						: null;
			}
		});
	}

	/** A full sweep costs one pass over every entry, so it runs at most once a second (reads check expiry anyway). */
	private void purgeExpired(Instant now) {
		if (now.isBefore(this.nextPurge)) {
			return;
		}
		this.nextPurge = now.plusSeconds(1);
		this.codes.values().removeIf((code) -> !code.expiresAt().isAfter(now));
		this.consumed.values().removeIf((marker) -> !marker.until().isAfter(now));
	}

	/**
	 * A consumed code: the authorization issued from it ({@code ""} until recorded), remembered until {@code until}.
	 */
	private record Consumed(String authorizationId, Instant until) {
	}

}
