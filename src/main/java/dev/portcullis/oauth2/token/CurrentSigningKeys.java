package dev.portcullis.oauth2.token;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
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
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONStringUtils;
import org.jspecify.annotations.Nullable;

/**
 * The signing keys in use in this process: the one that signs, the ones that verify, and the JWK Set that publishes
 * them. The token generator, the proxy's decoder and the JWK Set endpoint read it on every use; a change of the
 * {@link SigningKeySet} (from the store, or made here) replaces it whole, so readers never lock and never see half a
 * change.
 *
 * <p>{@link #update} builds the signer of a new active key and signs once with it: the JDK draws a key's RSA blinding
 * values from the platform's SecureRandom, a file read, at its first signature. Call it where blocking is allowed
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
	 * @param signer signs with the active key, and its header
	 * @param verification the keys that verify tokens, by {@code kid}
	 * @param published the {@code kid}s of {@code verification}, in the set's order
	 * @param publicJwkSet the JSON of the public JWK Set
	 */
	public record Snapshot(SigningKeySet set, ActiveSigner signer, Map<String, SigningKey> verification,
			List<String> published, String publicJwkSet) {

		static Snapshot of(SigningKeySet set, Instant now, @Nullable Snapshot previous) {
			SigningKey active = set.active()
				.orElseThrow(() -> new IllegalArgumentException("A signing key set in use needs an active key"));
			ActiveSigner signer = (previous != null && previous.signer().kid().equals(active.kid())) ? previous.signer()
					: ActiveSigner.of(active);
			List<SigningKey> accepted = set.accepted(now);
			Map<String, SigningKey> verification = accepted.stream()
				.collect(Collectors.toUnmodifiableMap(SigningKey::kid, Function.identity()));
			String jwkSet = new JWKSet(accepted.stream().map(SigningKey::publicKey).toList()).toString();
			return new Snapshot(set, signer, verification, accepted.stream().map(SigningKey::kid).toList(), jwkSet);
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

		private static final DefaultJWSSignerFactory SIGNERS = new DefaultJWSSignerFactory();

		static ActiveSigner of(SigningKey key) {
			JWSSigner signer;
			try {
				signer = SIGNERS.createJWSSigner(key.privateKey(), key.algorithm());
			}
			catch (JOSEException ex) {
				throw new IllegalArgumentException("The signing key " + key.kid() + " cannot sign " + key.algorithm(), ex);
			}
			ActiveSigner active = new ActiveSigner(key.kid(), header(key), signer);
			// the key's first signature, here rather than on a token request (see the class comment)
			active.sign(new JWSObject(active.header(), new Payload("{}")));
			return active;
		}

		/** league's header, {@code {"typ":"JWT","alg":"RS256"}}, in its order, with the {@code kid} after. */
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
