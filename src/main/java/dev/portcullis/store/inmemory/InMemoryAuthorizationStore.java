package dev.portcullis.store.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.RefreshOutcome;
import dev.portcullis.oauth2.token.TokenIds;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Authorizations in this process's memory. One lock guards every change, which is what makes rotation atomic here;
 * the Redis store gets the same guarantee from a Lua script.
 */
public class InMemoryAuthorizationStore implements AuthorizationStore {

	private final Map<String, Entry> entries = new HashMap<>();

	/** Ids by client and subject, for the cap; ids of entries gone since are dropped when met. */
	private final Map<String, Set<String>> bySubject = new HashMap<>();

	private final InMemoryRevocationStore revocations;

	private final Clock clock;

	private Instant nextPurge = Instant.MIN;

	public InMemoryAuthorizationStore(InMemoryRevocationStore revocations, Clock clock) {
		this.revocations = revocations;
		this.clock = clock;
		revocations.pairWith(this::isCurrentToken);
	}

	/** Whether {@code jti} is the current access token of a live authorization (as the Redis store answers it). */
	private synchronized boolean isCurrentToken(String jti) {
		if (!TokenIds.isIssuedJti(jti)) {
			return false;
		}
		Entry entry = live(TokenIds.authorizationIdOf(jti));
		return entry != null && entry.authorization.accessTokenJti().equals(jti);
	}

	@Override
	public Mono<Void> save(Authorization authorization) {
		return Mono.fromRunnable(() -> {
			TokenIds.requireWellFormed(authorization);
			synchronized (this) {
				purgeExpired();
				// an authorization saved over keeps its rotated-out refresh tokens, so their reuse is still detected
				Entry previous = this.entries.get(authorization.id());
				this.entries.put(authorization.id(),
						new Entry(authorization, (previous != null) ? previous.rotatedOut : new HashMap<>()));
				this.bySubject.computeIfAbsent(subjectKey(authorization.clientId(), authorization.subject()),
						(key) -> new HashSet<>()).add(authorization.id());
			}
		});
	}

	@Override
	public Mono<Authorization> findById(String authorizationId) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Entry entry = live(authorizationId);
				return (entry != null) ? entry.authorization : null;
			}
		});
	}

	@Override
	public Flux<Authorization> findByClientId(String clientId) {
		return findWhere((authorization) -> authorization.clientId().equals(clientId));
	}

	@Override
	public Flux<Authorization> findByUserId(String userId) {
		return findWhere((authorization) -> userId.equals(authorization.userId()));
	}

	@Override
	public Flux<Authorization> findPage(@Nullable String clientId, @Nullable String userId, int offset, int limit) {
		return Flux.defer(() -> Flux.fromIterable(selection(clientId, userId).stream()
			.sorted(Comparator.comparing(Authorization::expiresAt).reversed())
			.skip(offset)
			.limit(limit)
			.toList()));
	}

	@Override
	public Mono<Long> count(@Nullable String clientId, @Nullable String userId) {
		return Mono.fromSupplier(() -> (long) selection(clientId, userId).size());
	}

	private List<Authorization> selection(@Nullable String clientId, @Nullable String userId) {
		synchronized (this) {
			Instant now = this.clock.instant();
			return this.entries.values()
				.stream()
				.map((entry) -> entry.authorization)
				.filter((authorization) -> authorization.expiresAt().isAfter(now))
				.filter((authorization) -> clientId == null || clientId.equals(authorization.clientId()))
				.filter((authorization) -> userId == null || userId.equals(authorization.userId()))
				.toList();
		}
	}

	@Override
	public Mono<RefreshOutcome> rotate(Authorization rotated, String presentedRefreshTokenHash, Instant now,
			Duration reuseGracePeriod) {
		return Mono.fromSupplier(() -> {
			TokenIds.requireWellFormed(rotated);
			synchronized (this) {
				Entry entry = live(rotated.id());
				if (entry == null) {
					return RefreshOutcome.UNKNOWN;
				}
				Authorization current = entry.authorization;
				if (presentedRefreshTokenHash.equals(current.refreshTokenHash())) {
					entry.rotatedOut.put(presentedRefreshTokenHash, now);
					entry.authorization = rotated;
					this.revocations.revokeNow(current.accessTokenJti(), current.accessTokenExpiresAt());
					return RefreshOutcome.ROTATED;
				}
				Instant rotatedAt = entry.rotatedOut.get(presentedRefreshTokenHash);
				if (rotatedAt == null) {
					return RefreshOutcome.UNKNOWN;
				}
				if (!now.isAfter(rotatedAt.plus(reuseGracePeriod))) {
					return RefreshOutcome.STALE;
				}
				this.entries.remove(current.id());
				this.revocations.revokeNow(current.accessTokenJti(), current.accessTokenExpiresAt());
				return RefreshOutcome.REUSED;
			}
		});
	}

	@Override
	public Mono<Long> saveKeepingAtMost(Authorization authorization, int keep) {
		return save(authorization).then(removeOldestBeyond(authorization.clientId(), authorization.subject(), keep));
	}

	private Mono<Long> removeOldestBeyond(String clientId, String subject, int keep) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Set<String> ids = this.bySubject.getOrDefault(subjectKey(clientId, subject), Set.of());
				ids.removeIf((id) -> live(id) == null);
				List<Authorization> oldestFirst = ids.stream()
					.map((id) -> this.entries.get(id).authorization)
					.sorted(Comparator.comparing(Authorization::expiresAt))
					.toList();
				long removed = 0;
				// no revocation entry: the evicted token is no longer the current token of a live grant
				for (int i = 0; i < oldestFirst.size() - keep; i++) {
					Authorization oldest = oldestFirst.get(i);
					this.entries.remove(oldest.id());
					ids.remove(oldest.id());
					removed++;
				}
				return removed;
			}
		});
	}

	private static String subjectKey(String clientId, String subject) {
		return clientId + '\u0000' + subject;
	}

	@Override
	public Mono<Authorization> remove(String authorizationId) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Entry entry = live(authorizationId);
				if (entry == null) {
					return null;
				}
				this.entries.remove(authorizationId);
				Authorization removed = entry.authorization;
				this.revocations.revokeNow(removed.accessTokenJti(), removed.accessTokenExpiresAt());
				return removed;
			}
		});
	}

	private Flux<Authorization> findWhere(java.util.function.Predicate<Authorization> filter) {
		return Flux.defer(() -> {
			synchronized (this) {
				purgeExpired();
				Instant now = this.clock.instant();
				return Flux.fromIterable(this.entries.values()
					.stream()
					.map((entry) -> entry.authorization)
					.filter((authorization) -> authorization.expiresAt().isAfter(now))
					.filter(filter)
					.sorted(Comparator.comparing(Authorization::accessTokenIssuedAt).reversed())
					.toList());
			}
		});
	}

	private Entry live(String id) {
		Entry entry = this.entries.get(id);
		if (entry != null && !entry.authorization.expiresAt().isAfter(this.clock.instant())) {
			this.entries.remove(id);
			return null;
		}
		return entry;
	}

	/** A full sweep costs one pass over every entry, so it runs at most once a second (reads check expiry anyway). */
	private void purgeExpired() {
		Instant now = this.clock.instant();
		if (now.isBefore(this.nextPurge)) {
			return;
		}
		this.nextPurge = now.plusSeconds(1);
		this.entries.values().removeIf((entry) -> !entry.authorization.expiresAt().isAfter(now));
		this.bySubject.values().forEach((ids) -> ids.retainAll(this.entries.keySet()));
		this.bySubject.values().removeIf(Set::isEmpty);
	}

	private static final class Entry {

		private Authorization authorization;

		/** Hashes of the refresh tokens rotated out of this authorization, with when. */
		private final Map<String, Instant> rotatedOut;

		Entry(Authorization authorization, Map<String, Instant> rotatedOut) {
			this.authorization = Objects.requireNonNull(authorization);
			this.rotatedOut = rotatedOut;
		}

	}

}
