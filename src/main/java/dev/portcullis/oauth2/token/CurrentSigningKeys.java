package dev.portcullis.oauth2.token;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONStringUtils;
import org.jspecify.annotations.Nullable;

/**
 * The signing keys in use in this process: the ones that sign (one per {@link SigningAlgorithm}), the ones that
 * verify, and the JWK Set that publishes them. The token generator, the proxy's decoder and the JWK Set endpoint read
 * it on every use; a change of the {@link SigningKeySet} (from the store, or made here) replaces it whole, so readers
 * never lock and never see half a change.
 *
 * <p>{@link #update} builds the signer of each new active key and signs once with it: the JDK draws a key's RSA
 * blinding values from the platform's SecureRandom, a file read, at its first signature. Call it where blocking is allowed
 * (start-up, a bounded elastic thread), never on an event loop.
 */
public final class CurrentSigningKeys {

	private final AtomicReference<Snapshot> current = new AtomicReference<>();

	private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();

	private final Clock clock;

	/**
	 * @param initial a set with an active key
	 */
	public CurrentSigningKeys(SigningKeySet initial, Clock clock) {
		this.clock = clock;
		this.current.set(Snapshot.of(initial, clock.instant(), null));
	}

	/** One active key and nothing else, made now. */
	public static CurrentSigningKeys withActiveKey(JWK key) {
		return withActiveKey(key, Clock.systemUTC());
	}

	/** One active key and nothing else, as a start-up with one configured key has. */
	public static CurrentSigningKeys withActiveKey(JWK key, Clock clock) {
		JWSAlgorithm algorithm = (key.getAlgorithm() != null) ? JWSAlgorithm.parse(key.getAlgorithm().getName())
				: JWSAlgorithm.RS256;
		return new CurrentSigningKeys(
				new SigningKeySet(1, List.of(SigningKey.active(key, algorithm, clock.instant()))), clock);
	}

	/** What is in use now. */
	public Snapshot current() {
		return this.current.get();
	}

	/**
	 * Puts {@code set} in use unless the one in use is of a later version; also drops retired keys whose last token
	 * has expired since the last change. Listeners hear of every replacement.
	 *
	 * @return whether anything changed
	 */
	public boolean update(SigningKeySet set) {
		Instant now = this.clock.instant();
		Snapshot previous = this.current.get();
		if (set.version() < previous.set().version()
				|| (set.equals(previous.set()) && previous.published().equals(accepted(set, now)))) {
			return false;
		}
		Snapshot next = Snapshot.of(set, now, previous);
		if (!this.current.compareAndSet(previous, next)) {
			// another update won meanwhile; the store's newer version is applied by whoever asks next
			return update(set);
		}
		this.listeners.forEach((listener) -> listener.accept(next));
		return true;
	}

	/** {@code listener} hears of each snapshot that replaces the one in use. */
	public void onChange(Consumer<Snapshot> listener) {
		this.listeners.add(listener);
	}

	private static List<String> accepted(SigningKeySet set, Instant now) {
		return set.accepted(now).stream().map(SigningKey::kid).toList();
	}

	/**
	 * One version of the keys in use.
	 *
	 * @param set the key set
	 * @param signers sign with the active key of each algorithm that has one, and their headers
	 * @param verification the keys that verify tokens, by {@code kid}
	 * @param published the {@code kid}s of {@code verification}, in the set's order
	 * @param publicJwkSet the JSON of the public JWK Set
	 */
	public record Snapshot(SigningKeySet set, Map<SigningAlgorithm, ActiveSigner> signers,
			Map<String, SigningKey> verification, List<String> published, String publicJwkSet) {

		static Snapshot of(SigningKeySet set, Instant now, @Nullable Snapshot previous) {
			if (set.active().isEmpty()) {
				throw new IllegalArgumentException("A signing key set in use needs an active RS256 key");
			}
			Map<SigningAlgorithm, ActiveSigner> signers = new EnumMap<>(SigningAlgorithm.class);
			for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
				set.active(algorithm.jws()).ifPresent((active) -> {
					ActiveSigner kept = (previous != null) ? previous.signers().get(algorithm) : null;
					signers.put(algorithm,
							(kept != null && kept.kid().equals(active.kid())) ? kept : ActiveSigner.of(active));
				});
			}
			List<SigningKey> accepted = set.accepted(now);
			Map<String, SigningKey> verification = accepted.stream()
				.collect(Collectors.toUnmodifiableMap(SigningKey::kid, Function.identity()));
			String jwkSet = new JWKSet(accepted.stream().map(SigningKey::publicKey).toList()).toString();
			return new Snapshot(set, Map.copyOf(signers), verification, accepted.stream().map(SigningKey::kid).toList(),
					jwkSet);
		}

		/** The signer of the RS256 key, the default algorithm's. */
		public ActiveSigner signer() {
			return this.signers.get(SigningAlgorithm.RS256);
		}

		/**
		 * The signer of {@code algorithm}'s active key; RS256's when there is none (configured keys with no Ed25519 key
		 * among them), so a client set to EdDSA still gets a token every verifier of the JWK Set accepts.
		 */
		public ActiveSigner signer(SigningAlgorithm algorithm) {
			ActiveSigner signer = this.signers.get(algorithm);
			return (signer != null) ? signer : signer();
		}

		/**
		 * The key that verifies a token with this header: its {@code kid} must be a key accepted at {@code now} and
		 * its {@code alg} that key's algorithm; else {@code null}.
		 */
		public @Nullable SigningKey verificationKey(@Nullable String kid, @Nullable JWSAlgorithm algorithm,
				Instant now) {
			SigningKey key = (kid != null) ? this.verification.get(kid) : null;
			return (key != null && key.algorithm().equals(algorithm) && key.isAcceptedAt(now)) ? key : null;
		}

		/** Whether tokens with this {@code kid} are accepted at {@code now}. */
		public boolean accepts(@Nullable String kid, Instant now) {
			SigningKey key = (kid != null) ? this.verification.get(kid) : null;
			return key != null && key.isAcceptedAt(now);
		}

	}

	/** The active key's signer, and the header every token it signs carries. */
	public record ActiveSigner(String kid, JWSHeader header, JWSSigner signer) {

		static ActiveSigner of(SigningKey key) {
			JWSSigner signer;
			try {
				signer = JwsCrypto.signer(key);
			}
			catch (JOSEException ex) {
				throw new IllegalArgumentException("The signing key " + key.kid() + " cannot sign " + key.algorithm(), ex);
			}
			ActiveSigner active = new ActiveSigner(key.kid(), header(key), signer);
			// the key's first signature, here rather than on a token request (see the class comment)
			active.sign(new JWSObject(active.header(), new Payload("{}")));
			return active;
		}

		/**
		 * league's header, {@code {"typ":"JWT","alg":"RS256"}}, in its order (with the key's {@code alg}), with the
		 * {@code kid} after.
		 */
		private static JWSHeader header(SigningKey key) {
			String json = "{\"typ\":\"JWT\",\"alg\":" + JSONStringUtils.toJSONString(key.algorithm().getName())
					+ ",\"kid\":" + JSONStringUtils.toJSONString(key.kid()) + "}";
			try {
				// a parsed header keeps its original encoding, so the order above is what is signed and sent
				return JWSHeader.parse(Base64URL.encode(json));
			}
			catch (ParseException ex) {
				throw new IllegalArgumentException("Invalid key id for a JWS header: " + key.kid(), ex);
			}
		}

		public void sign(JWSObject jws) {
			try {
				jws.sign(this.signer);
			}
			catch (JOSEException ex) {
				throw new IllegalStateException("Could not sign the access token", ex);
			}
		}

	}

}
