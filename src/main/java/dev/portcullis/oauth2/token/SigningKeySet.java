package dev.portcullis.oauth2.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.nimbusds.jose.JWSAlgorithm;
import org.jspecify.annotations.Nullable;

/**
 * Every signing key at one version of the store: for each {@link SigningAlgorithm}, at most one active key (signing),
 * at most one next key (published, waiting to sign), and retired keys (published and accepted until their last token
 * has expired). Each algorithm's keys rotate on their own. The rules that
 * change a set are in {@link SigningKeyRotation}; each change makes a set of the next version, which the store keeps
 * only if nobody changed the set meanwhile.
 *
 * @param version counts the changes; 0 for a store that holds no set yet
 * @param keys the keys, the active ones first, then the next ones, then the retired ones, latest retired first
 */
public record SigningKeySet(long version, List<SigningKey> keys) {

	/** What a store holds before its first key. */
	public static final SigningKeySet EMPTY = new SigningKeySet(0, List.of());

	public SigningKeySet {
		keys = List.copyOf(keys);
		if (keys.stream().map(SigningKey::kid).distinct().count() != keys.size()) {
			throw new IllegalArgumentException("Two signing keys share a kid");
		}
		for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
			if (count(keys, algorithm.jws(), SigningKey.State.ACTIVE) > 1
					|| count(keys, algorithm.jws(), SigningKey.State.NEXT) > 1) {
				throw new IllegalArgumentException(
						"A signing key set has at most one active and one next key per algorithm");
			}
		}
	}

	private static long count(List<SigningKey> keys, JWSAlgorithm algorithm, SigningKey.State state) {
		return keys.stream().filter((key) -> key.state() == state && key.algorithm().equals(algorithm)).count();
	}

	/**
	 * The RS256 key that signs new tokens (RS256 is the default algorithm, which every client verifying league's tokens
	 * needs); empty only for a store that holds no key yet.
	 */
	public Optional<SigningKey> active() {
		return active(JWSAlgorithm.RS256);
	}

	/** The RS256 key published to sign next, if there is one. */
	public Optional<SigningKey> next() {
		return next(JWSAlgorithm.RS256);
	}

	/** The key of {@code algorithm} that signs new tokens, if there is one. */
	public Optional<SigningKey> active(JWSAlgorithm algorithm) {
		return inState(algorithm, SigningKey.State.ACTIVE);
	}

	/** The key of {@code algorithm} published to sign next, if there is one. */
	public Optional<SigningKey> next(JWSAlgorithm algorithm) {
		return inState(algorithm, SigningKey.State.NEXT);
	}

	public @Nullable SigningKey find(String kid) {
		return this.keys.stream().filter((key) -> key.kid().equals(kid)).findFirst().orElse(null);
	}

	/** The keys that verify tokens and are published at {@code now}: active, next, and retired ones still needed. */
	public List<SigningKey> accepted(Instant now) {
		return this.keys.stream().filter((key) -> key.isAcceptedAt(now)).toList();
	}

	private Optional<SigningKey> inState(JWSAlgorithm algorithm, SigningKey.State state) {
		return this.keys.stream().filter((key) -> key.state() == state && key.algorithm().equals(algorithm)).findFirst();
	}

}
