package dev.portcullis.oauth2.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

/**
 * The rules of signing-key rotation, as functions from one {@link SigningKeySet} to the next (of the next version):
 * <ul>
 * <li>a next key is published before it signs anything, for as long as caches keep a JWK Set (the JWK Set's own
 * {@code max-age} plus the time clients keep it): promoting it earlier is refused, so no verifier meets a
 * {@code kid} it cannot know;</li>
 * <li>promotion retires the active key, which stays published and accepted until the last token it can have signed
 * has expired (retirement + the longest access-token lifetime), and is removed after;</li>
 * <li>"retire now" (a compromised key) removes a key at once, so its tokens are refused from then on. The active key
 * is never left without a successor: the next key takes its place at once (without waiting for its publication,
 * since the compromised key must not sign another token), or else a new key does.</li>
 * </ul>
 * Each {@link SigningAlgorithm}'s keys follow these rules on their own (a promotion of the EdDSA key leaves the RS256
 * keys as they are). Every change also drops the retired keys no longer needed.
 */
public final class SigningKeyRotation {

	/** What a rotation schedule asks for at a given time. */
	public enum Due {

		NOTHING, CREATE_NEXT, PROMOTE

	}

	private final Duration publication;

	private final Duration longestTokenLifetime;

	/**
	 * @param publication how long a next key is published before it may sign: the JWK Set's {@code max-age} plus
	 * the time clients cache a JWK Set
	 * @param longestTokenLifetime the longest lifetime an access token can have (any client's), plus the clock skew
	 * the proxy allows
	 */
	public SigningKeyRotation(Duration publication, Duration longestTokenLifetime) {
		this.publication = publication;
		this.longestTokenLifetime = longestTokenLifetime;
	}

	public Duration publication() {
		return this.publication;
	}

	/** When {@code next} may be promoted. */
	public Instant promotableAt(SigningKey next) {
		return next.createdAt().plus(this.publication);
	}

	/**
	 * The set with {@code key} as its active key of {@code algorithm} when it has none yet (a first start, or the first
	 * start of a version that signs with that algorithm); else the set unchanged.
	 */
	public SigningKeySet start(SigningKeySet set, JWK key, JWSAlgorithm algorithm, Instant now) {
		if (set.active(algorithm).isPresent()) {
			return set;
		}
		List<SigningKey> keys = new ArrayList<>(set.keys());
		keys.add(SigningKey.active(key, algorithm, now));
		return ordered(set, keys, now);
	}

	/** Publishes {@code key} as the next key of {@code algorithm}. Refused while there is one already. */
	public SigningKeySet addNext(SigningKeySet set, JWK key, JWSAlgorithm algorithm, Instant now) {
		if (set.next(algorithm).isPresent()) {
			throw new SigningKeyChangeRefusedException("There is a next key already (" + set.next(algorithm).get().kid()
					+ ", " + algorithm + "): promote it or retire it first");
		}
		if (set.active(algorithm).isEmpty()) {
			throw new SigningKeyChangeRefusedException("There is no active key for a next key to follow");
		}
		if (set.find(key.getKeyID()) != null) {
			throw new SigningKeyChangeRefusedException("The kid " + key.getKeyID() + " is taken");
		}
		List<SigningKey> keys = new ArrayList<>(set.keys());
		keys.add(SigningKey.next(key, algorithm, now));
		return ordered(set, keys, now);
	}

	/**
	 * Makes the next key of {@code algorithm} active and retires its active one. Refused when there is no next key, or
	 * when it has not been published for {@link #publication()} yet.
	 */
	public SigningKeySet promote(SigningKeySet set, JWSAlgorithm algorithm, Instant now) {
		SigningKey next = set.next(algorithm)
			.orElseThrow(() -> new SigningKeyChangeRefusedException("There is no next key to promote: create one first"));
		Instant promotableAt = promotableAt(next);
		if (now.isBefore(promotableAt)) {
			throw new SigningKeyChangeRefusedException("The next key " + next.kid() + " is published since "
					+ next.createdAt() + "; caches may not know it before " + promotableAt
					+ ", so it cannot be promoted before then", promotableAt);
		}
		return replaceActive(set, next.activated(now), now);
	}

	/**
	 * Removes the key at once: its tokens are refused from now on. An active key is replaced at once by the next key
	 * of its algorithm, or else by {@code replacement} (asked for only then, and of the same algorithm).
	 */
	public SigningKeySet retireNow(SigningKeySet set, String kid, Instant now, Supplier<SigningKey> replacement) {
		SigningKey retiring = set.find(kid);
		if (retiring == null) {
			throw new SigningKeyChangeRefusedException("There is no signing key with kid " + kid);
		}
		List<SigningKey> keys = new ArrayList<>(set.keys());
		keys.remove(retiring);
		if (retiring.state() == SigningKey.State.ACTIVE) {
			JWSAlgorithm algorithm = retiring.algorithm();
			SigningKey successor = set.next(algorithm).map((next) -> next.activated(now)).orElseGet(replacement);
			keys.removeIf((key) -> key.state() == SigningKey.State.NEXT && key.algorithm().equals(algorithm));
			keys.add(successor);
		}
		return ordered(set, keys, now);
	}

	/** The set without the retired keys whose last token has expired; the same set when there are none. */
	public SigningKeySet removeExpired(SigningKeySet set, Instant now) {
		if (set.keys().stream().allMatch((key) -> key.isAcceptedAt(now))) {
			return set;
		}
		return ordered(set, set.keys(), now);
	}

	/**
	 * What a schedule that rotates every {@code interval} has to do now for {@code algorithm}'s keys: create the next
	 * key early enough for it to be published for {@link #publication()} by the time the active key is {@code interval}
	 * old, and promote it then.
	 */
	public Due due(SigningKeySet set, JWSAlgorithm algorithm, Duration interval, Instant now) {
		SigningKey active = set.active(algorithm).orElse(null);
		if (active == null || active.activatedAt() == null) {
			return Due.NOTHING;
		}
		Instant rotation = active.activatedAt().plus(interval);
		SigningKey next = set.next(algorithm).orElse(null);
		if (next == null) {
			return now.isBefore(rotation.minus(this.publication)) ? Due.NOTHING : Due.CREATE_NEXT;
		}
		Instant promotion = rotation.isAfter(promotableAt(next)) ? rotation : promotableAt(next);
		return now.isBefore(promotion) ? Due.NOTHING : Due.PROMOTE;
	}

	private SigningKeySet replaceActive(SigningKeySet set, SigningKey newActive, Instant now) {
		List<SigningKey> keys = new ArrayList<>();
		for (SigningKey key : set.keys()) {
			if (key.state() == SigningKey.State.ACTIVE && key.algorithm().equals(newActive.algorithm())) {
				keys.add(key.retired(now, this.longestTokenLifetime));
			}
			else if (!key.kid().equals(newActive.kid())) {
				keys.add(key);
			}
		}
		keys.add(newActive);
		return ordered(set, keys, now);
	}

	/** The next version: active, next, then retired keys latest first, without those no longer accepted. */
	private static SigningKeySet ordered(SigningKeySet previous, List<SigningKey> keys, Instant now) {
		List<SigningKey> kept = new ArrayList<>(keys.stream().filter((key) -> key.isAcceptedAt(now)).toList());
		kept.sort(Comparator.comparingInt(SigningKeyRotation::listingRank)
			.thenComparing((key) -> (key.retiredAt() != null) ? key.retiredAt() : Instant.MAX, Comparator.reverseOrder()));
		return new SigningKeySet(previous.version() + 1, kept);
	}

	private static int listingRank(SigningKey key) {
		return switch (key.state()) {
			case ACTIVE -> 0;
			case NEXT -> 1;
			case RETIRED -> 2;
		};
	}

}
