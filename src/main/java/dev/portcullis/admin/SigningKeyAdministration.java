package dev.portcullis.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.SigningKey;
import dev.portcullis.oauth2.token.SigningKeyChangeRefusedException;
import dev.portcullis.oauth2.token.SigningKeyRotation;
import dev.portcullis.oauth2.token.SigningKeySet;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Rotation of the signing keys, on demand (the admin API and pages) and on a schedule, audited. Each change reads the
 * stored set, applies one of the {@link SigningKeyRotation} rules and stores the result only if nobody changed the set
 * meanwhile: of two replicas (or administrators) acting at once, one wins and the other's change is decided again on
 * the set that won (and may then be refused). The replica that made a change uses it at once; the others hear of it
 * from the store.
 *
 * <p>"Retire now" is for a compromised key: its tokens are refused at once everywhere. The active key is never
 * retired without a successor: the next key signs at once (without waiting for its publication: the compromised key
 * must not sign another token, and verifiers that cache the JWK Set fetch it again on an unknown {@code kid}), or else
 * a new key does.
 *
 * <p>When the keys are configured (a secret manager owns them), every change is refused: the configuration rotates them.
 */
public final class SigningKeyAdministration {

	/** The actor of scheduled rotations in the audit log. */
	public static final String SCHEDULE = "rotation-schedule";

	/** How many times a change is decided again after another change won the race. */
	private static final int ATTEMPTS = 5;

	private final @Nullable SigningKeyStore store;

	private final CurrentSigningKeys keys;

	private final SigningKeyRotation rotation;

	private final AuditTrail audit;

	private final Clock clock;

	/**
	 * @param store the store that keeps the keys, or {@code null} when they are configured
	 */
	public SigningKeyAdministration(@Nullable SigningKeyStore store, CurrentSigningKeys keys,
			SigningKeyRotation rotation, AuditTrail audit, Clock clock) {
		this.store = store;
		this.keys = keys;
		this.rotation = rotation;
		this.audit = audit;
		this.clock = clock;
	}

	/** Whether the keys are configured, and so cannot be changed here. */
	public boolean configured() {
		return this.store == null;
	}

	/** The keys as stored (or configured), the active one first. */
	public Mono<SigningKeySet> list() {
		return (this.store != null) ? this.store.load() : Mono.fromSupplier(() -> this.keys.current().set());
	}

	/** When the next key may be promoted. */
	public Instant promotableAt(SigningKey next) {
		return this.rotation.promotableAt(next);
	}

	/** Publishes a new key of {@code algorithm} as its next key; refused while there is one. */
	public Mono<SigningKey> createNext(SigningAlgorithm algorithm, String actor) {
		// @formatter:off
		return change((set, now) -> this.rotation.addNext(set, algorithm.newKey(), algorithm.jws(), now))
				.map((set) -> set.next(algorithm.jws()).orElseThrow())
				.flatMap((next) -> this.audit.record(actor, "signing-key.create-next", next.kid(),
						"published as the next key; it may sign from " + this.rotation.promotableAt(next)).thenReturn(next));
		// @formatter:on
	}

	/**
	 * Makes the next key, which must be {@code kid}, the active one; the active key is retired. Refused (409) while
	 * the next key has not been published long enough for caches to know it.
	 */
	public Mono<SigningKey> promote(String kid, String actor) {
		// @formatter:off
		return change((set, now) -> {
					SigningKey key = existing(set, kid);
					if (key.state() != SigningKey.State.NEXT) {
						throw new AdministrationRefusedException("kid", "The key " + kid + " is " + state(key)
								+ ", not the next key: only the next key can be promoted");
					}
					return this.rotation.promote(set, key.algorithm(), now);
				})
				.mapNotNull((set) -> set.find(kid))
				.flatMap((active) -> this.audit.record(actor, "signing-key.promote", active.kid(),
						"signs from now on; the key it replaces is retired").thenReturn(active));
		// @formatter:on
	}

	/** Removes the key at once (compromised): its tokens are refused from now on, on every replica. */
	public Mono<SigningKeySet> retireNow(String kid, String actor) {
		// @formatter:off
		return change((set, now) -> {
					JWSAlgorithm algorithm = existing(set, kid).algorithm();
					return this.rotation.retireNow(set, kid, now, () -> SigningKey
						.active(SigningAlgorithm.of(algorithm).newKey(), algorithm, now));
				})
				.flatMap((set) -> this.audit.record(actor, "signing-key.retire-now", kid,
						"removed at once; tokens it signed are refused; the active keys are " + set.keys().stream()
							.filter((key) -> key.state() == SigningKey.State.ACTIVE)
							.map(SigningKey::kid)
							.toList()).thenReturn(set));
		// @formatter:on
	}

	/**
	 * Does what a schedule rotating every {@code interval} has to do now for each algorithm's keys (create the next
	 * key, or promote it), and drops retired keys whose last token has expired. Emits whether this replica changed
	 * anything: of replicas that check at once, one acts.
	 */
	public Mono<Boolean> rotateIfDue(Duration interval) {
		if (this.store == null) {
			return Mono.just(false);
		}
		SigningKeyStore store = this.store;
		// @formatter:off
		return store.load()
				.publishOn(Schedulers.boundedElastic())
				.flatMap((set) -> {
					Instant now = this.clock.instant();
					SigningKeySet changed = this.rotation.removeExpired(set, now);
					Map<SigningAlgorithm, SigningKeyRotation.Due> done = new EnumMap<>(SigningAlgorithm.class);
					for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
						SigningKeyRotation.Due due = this.rotation.due(changed, algorithm.jws(), interval, now);
						changed = switch (due) {
							case CREATE_NEXT -> this.rotation.addNext(changed, algorithm.newKey(), algorithm.jws(), now);
							case PROMOTE -> this.rotation.promote(changed, algorithm.jws(), now);
							case NOTHING -> changed;
						};
						if (due != SigningKeyRotation.Due.NOTHING) {
							done.put(algorithm, due);
						}
					}
					if (changed == set) {
						return Mono.just(false);
					}
					// one change of the stored version, however many rules applied
					SigningKeySet stored = new SigningKeySet(set.version() + 1, changed.keys());
					return store.replace(set.version(), stored)
							.publishOn(Schedulers.boundedElastic())
							.flatMap((won) -> won ? applied(stored, done).thenReturn(true) : Mono.just(false));
				});
		// @formatter:on
	}

	private Mono<Void> applied(SigningKeySet set, Map<SigningAlgorithm, SigningKeyRotation.Due> done) {
		this.keys.update(set);
		return Flux.fromIterable(done.entrySet()).concatMap((entry) -> {
			JWSAlgorithm algorithm = entry.getKey().jws();
			return switch (entry.getValue()) {
				case CREATE_NEXT -> this.audit.record(SCHEDULE, "signing-key.create-next",
						set.next(algorithm).orElseThrow().kid(),
						"published as the next " + algorithm + " key by the schedule");
				case PROMOTE -> this.audit.record(SCHEDULE, "signing-key.promote",
						set.active(algorithm).orElseThrow().kid(),
						"signs " + algorithm + " from now on (schedule); the key it replaces is retired");
				case NOTHING -> Mono.<Void>empty();
			};
		}).then();
	}

	/**
	 * Reads the set, decides the change on a thread that may block (a new RSA key is CPU work), stores it if the set
	 * is unchanged meanwhile, else decides again; then puts it in use here.
	 */
	private Mono<SigningKeySet> change(BiFunction<SigningKeySet, Instant, SigningKeySet> rule) {
		if (this.store == null) {
			return Mono.error(new AdministrationRefusedException("The signing keys are configured "
					+ "(portcullis.signing.keys or portcullis.signing.private-key): rotate them in the configuration"));
		}
		SigningKeyStore store = this.store;
		// @formatter:off
		return Mono.defer(() -> store.load()
					.publishOn(Schedulers.boundedElastic())
					.flatMap((set) -> {
						SigningKeySet changed = decide(rule, set);
						return store.replace(set.version(), changed)
								.flatMap((won) -> won ? Mono.just(changed) : Mono.empty());
					}))
				.repeatWhenEmpty((attempts) -> attempts.take(ATTEMPTS - 1))
				.switchIfEmpty(Mono.error(() -> new AdministrationRefusedException(
						"The signing keys kept changing meanwhile; try again")))
				.publishOn(Schedulers.boundedElastic())
				.doOnNext(this.keys::update);
		// @formatter:on
	}

	private SigningKeySet decide(BiFunction<SigningKeySet, Instant, SigningKeySet> rule, SigningKeySet set) {
		try {
			return rule.apply(set, this.clock.instant());
		}
		catch (SigningKeyChangeRefusedException ex) {
			throw new AdministrationRefusedException("kid", ex.getMessage());
		}
	}

	private static SigningKey existing(SigningKeySet set, String kid) {
		SigningKey key = set.find(kid);
		if (key == null) {
			throw new NoSuchObjectException("signing key", kid);
		}
		return key;
	}

	private static String state(SigningKey key) {
		return key.state().name().toLowerCase(java.util.Locale.ROOT);
	}

}
