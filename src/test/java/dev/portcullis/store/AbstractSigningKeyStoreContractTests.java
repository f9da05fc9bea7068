package dev.portcullis.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.oauth2.token.SigningKeyRotation;
import dev.portcullis.oauth2.token.SigningKeySet;
import dev.portcullis.support.Ed25519Keys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link SigningKeyStore} must have. Subclasses only provide a fresh, empty store.
 */
public abstract class AbstractSigningKeyStoreContractTests {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	protected static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456789Z");

	protected static final SigningKeyRotation RULES = new SigningKeyRotation(Duration.ZERO, Duration.ofDays(1));

	/** One Ed25519 key for the class's tests. */
	protected static final OctetKeyPair ED25519 = Ed25519Keys.generate();

	private SigningKeyStore store;

	/** A new store that holds no key. */
	protected abstract SigningKeyStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = createStore();
	}

	protected static RSAKey key(String kid) {
		return new RSAKey.Builder(UnitTestFixtures.signingKey()).keyID(kid).algorithm(JWSAlgorithm.RS256).build();
	}

	protected static SigningKeySet first() {
		return RULES.start(SigningKeySet.EMPTY, key("a"), JWSAlgorithm.RS256, NOW);
	}

	@Test
	void loadWhenNothingStoredThenEmpty() {
		StepVerifier.create(this.store.load()).expectNext(SigningKeySet.EMPTY).expectComplete().verify(TIMEOUT);
	}

	@Test
	void replaceWhenVersionMatchesThenStoredWithEveryDateAndPrivateKey() {
		SigningKeySet withNext = RULES.addNext(first(), key("b"), JWSAlgorithm.RS256, NOW.plusSeconds(1));
		SigningKeySet promoted = RULES.promote(withNext, JWSAlgorithm.RS256, NOW.plusSeconds(2));

		assertThat(this.store.replace(0, first()).block(TIMEOUT)).isTrue();
		assertThat(this.store.replace(1, withNext).block(TIMEOUT)).isTrue();
		assertThat(this.store.replace(2, promoted).block(TIMEOUT)).isTrue();

		StepVerifier.create(this.store.load()).expectNext(promoted).expectComplete().verify(TIMEOUT);
	}

	/** Issue 16: the Ed25519 key is kept beside the RSA ones, with its algorithm, and rotates alike. */
	@Test
	void replaceWhenEd25519KeysBesideRsaThenStoredWithTheirAlgorithm() {
		SigningKeySet both = RULES.start(first(), ED25519, JWSAlgorithm.EdDSA, NOW);
		SigningKeySet withNext = RULES.addNext(both, Ed25519Keys.generate(), JWSAlgorithm.EdDSA, NOW.plusSeconds(1));
		SigningKeySet promoted = RULES.promote(withNext, JWSAlgorithm.EdDSA, NOW.plusSeconds(2));

		assertThat(this.store.replace(0, both).block(TIMEOUT)).isTrue();
		assertThat(this.store.replace(1, promoted).block(TIMEOUT)).isFalse();
		assertThat(this.store.replace(both.version(), promoted).block(TIMEOUT)).isTrue();

		SigningKeySet loaded = this.store.load().block(TIMEOUT);
		assertThat(loaded).isEqualTo(promoted);
		assertThat(loaded.find(ED25519.getKeyID()).algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		assertThat(loaded.find(ED25519.getKeyID()).privateKey()).isEqualTo(ED25519);
	}

	@Test
	void replaceWhenChangedMeanwhileThenRefusedAndStoredSetKept() {
		this.store.replace(0, first()).block(TIMEOUT);
		SigningKeySet withNext = RULES.addNext(first(), key("b"), JWSAlgorithm.RS256, NOW);
		this.store.replace(1, withNext).block(TIMEOUT);

		SigningKeySet stale = RULES.addNext(first(), key("c"), JWSAlgorithm.RS256, NOW);
		StepVerifier.create(this.store.replace(1, stale)).expectNext(false).expectComplete().verify(TIMEOUT);

		assertThat(this.store.load().block(TIMEOUT)).isEqualTo(withNext);
	}

	@Test
	void replaceWhenReplicasChangeTheSameVersionTogetherThenExactlyOneWins() {
		this.store.replace(0, first()).block(TIMEOUT);
		int replicas = 20;

		// @formatter:off
		List<Boolean> outcomes = Flux.range(0, replicas)
			.flatMap((i) -> this.store.replace(1, RULES.addNext(first(), key("next-" + i), JWSAlgorithm.RS256, NOW))
					.subscribeOn(Schedulers.parallel()), replicas)
			.collectList()
			.block(TIMEOUT);
		// @formatter:on

		assertThat(outcomes).hasSize(replicas).containsOnlyOnce(true);
		SigningKeySet stored = this.store.load().block(TIMEOUT);
		assertThat(stored.version()).isEqualTo(2);
		assertThat(stored.active().get().kid()).as("the active key kept").isEqualTo("a");
		assertThat(stored.next()).isPresent();
	}

}
