package dev.portcullis.oauth2.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.Ed25519Keys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rotation rules as pure functions: publication before promotion, retired keys kept until their last token
 * expired, "retire now" ending acceptance at once.
 */
class SigningKeyRotationTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	/** JWKS max-age 5 min + the usual 5 min of a client's cache. */
	private static final Duration PUBLICATION = Duration.ofMinutes(10);

	private static final Duration LONGEST_TOKEN = Duration.ofDays(366);

	private final SigningKeyRotation rotation = new SigningKeyRotation(PUBLICATION, LONGEST_TOKEN);

	private static JWK key(String kid) {
		return new RSAKey.Builder(UnitTestFixtures.signingKey()).keyID(kid).algorithm(JWSAlgorithm.RS256).build();
	}

	private SigningKeySet started() {
		return this.rotation.start(SigningKeySet.EMPTY, key("a"), JWSAlgorithm.RS256, T0);
	}

	@Test
	void startWhenEmptyThenKeyActiveAtVersionOne() {
		SigningKeySet set = started();

		assertThat(set.version()).isEqualTo(1);
		assertThat(set.active()).get().extracting(SigningKey::kid).isEqualTo("a");
		assertThat(set.active().get().activatedAt()).isEqualTo(T0);
		assertThat(set.next()).isEmpty();
	}

	@Test
	void startWhenActiveKeyThenSetUnchanged() {
		SigningKeySet set = started();

		assertThat(this.rotation.start(set, key("b"), JWSAlgorithm.RS256, T0.plusSeconds(1))).isSameAs(set);
	}

	@Test
	void addNextThenPublishedAndAcceptedButNotSigning() {
		SigningKeySet set = this.rotation.addNext(started(), key("b"), JWSAlgorithm.RS256, T0.plusSeconds(60));

		assertThat(set.version()).isEqualTo(2);
		assertThat(set.active().get().kid()).isEqualTo("a");
		assertThat(set.next().get().kid()).isEqualTo("b");
		assertThat(set.next().get().createdAt()).isEqualTo(T0.plusSeconds(60));
		assertThat(set.accepted(T0.plusSeconds(61))).extracting(SigningKey::kid).containsExactly("a", "b");
	}

	@Test
	void addNextWhenNextExistsThenRefused() {
		SigningKeySet set = this.rotation.addNext(started(), key("b"), JWSAlgorithm.RS256, T0);

		assertThatThrownBy(() -> this.rotation.addNext(set, key("c"), JWSAlgorithm.RS256, T0))
			.isInstanceOf(SigningKeyChangeRefusedException.class)
			.hasMessageContaining("next key already");
	}

	@Test
	void promoteWhenPublishedShorterThanCachesKeepTheSetThenRefusedWithTheTimeItIsAllowed() {
		SigningKeySet set = this.rotation.addNext(started(), key("b"), JWSAlgorithm.RS256, T0);
		Instant tooEarly = T0.plus(PUBLICATION).minusSeconds(1);

		assertThatThrownBy(() -> this.rotation.promote(set, JWSAlgorithm.RS256, tooEarly))
			.isInstanceOfSatisfying(SigningKeyChangeRefusedException.class,
					(ex) -> assertThat(ex.possibleFrom()).isEqualTo(T0.plus(PUBLICATION)))
			.hasMessageContaining("cannot be promoted before");
	}

	@Test
	void promoteWhenNoNextKeyThenRefused() {
		assertThatThrownBy(() -> this.rotation.promote(started(), JWSAlgorithm.RS256, T0.plus(Duration.ofDays(1))))
			.isInstanceOf(SigningKeyChangeRefusedException.class)
			.hasMessageContaining("no next key");
	}

	@Test
	void promoteWhenPublishedLongEnoughThenNextSignsAndOldActiveRetiredUntilItsLastTokenExpired() {
		SigningKeySet set = this.rotation.addNext(started(), key("b"), JWSAlgorithm.RS256, T0);
		Instant promotion = T0.plus(PUBLICATION);

		SigningKeySet promoted = this.rotation.promote(set, JWSAlgorithm.RS256, promotion);

		assertThat(promoted.version()).isEqualTo(3);
		assertThat(promoted.active().get().kid()).isEqualTo("b");
		assertThat(promoted.active().get().activatedAt()).isEqualTo(promotion);
		SigningKey retired = promoted.find("a");
		assertThat(retired.state()).isEqualTo(SigningKey.State.RETIRED);
		assertThat(retired.retiredAt()).isEqualTo(promotion);
		assertThat(retired.acceptedUntil()).isEqualTo(promotion.plus(LONGEST_TOKEN));
		assertThat(promoted.accepted(promotion.plus(LONGEST_TOKEN).minusSeconds(1))).extracting(SigningKey::kid)
			.containsExactly("b", "a");
		assertThat(promoted.accepted(promotion.plus(LONGEST_TOKEN))).extracting(SigningKey::kid).containsExactly("b");
	}

	@Test
	void removeExpiredWhenRetiredKeysLastTokenExpiredThenRemoved() {
		SigningKeySet promoted = this.rotation
			.promote(this.rotation.addNext(started(), key("b"), JWSAlgorithm.RS256, T0), JWSAlgorithm.RS256,
					T0.plus(PUBLICATION));
		Instant lastTokenExpired = T0.plus(PUBLICATION).plus(LONGEST_TOKEN);

		assertThat(this.rotation.removeExpired(promoted, lastTokenExpired.minusSeconds(1))).isSameAs(promoted);
		SigningKeySet tidied = this.rotation.removeExpired(promoted, lastTokenExpired);
		assertThat(tidied.keys()).extracting(SigningKey::kid).containsExactly("b");
		assertThat(tidied.version()).isEqualTo(promoted.version() + 1);
	}

	@Test
	void retireNowWhenRetiredKeyThenNoLongerAcceptedAtOnce() {
		SigningKeySet promoted = this.rotation
			.promote(this.rotation.addNext(started(), key("b"), JWSAlgorithm.RS256, T0), JWSAlgorithm.RS256,
					T0.plus(PUBLICATION));

		SigningKeySet compromised = this.rotation.retireNow(promoted, "a", T0.plus(PUBLICATION).plusSeconds(1),
				() -> { throw new AssertionError("no replacement needed"); });

		assertThat(compromised.find("a")).isNull();
		assertThat(compromised.accepted(T0.plus(PUBLICATION).plusSeconds(1))).extracting(SigningKey::kid)
			.containsExactly("b");
	}

	@Test
	void retireNowWhenActiveKeyAndNextKeyThenNextSignsAtOnce() {
		SigningKeySet set = this.rotation.addNext(started(), key("b"), JWSAlgorithm.RS256, T0);

		SigningKeySet compromised = this.rotation.retireNow(set, "a", T0.plusSeconds(1),
				() -> { throw new AssertionError("the next key takes over"); });

		assertThat(compromised.active().get().kid()).isEqualTo("b");
		assertThat(compromised.keys()).extracting(SigningKey::kid).containsExactly("b");
	}

	@Test
	void retireNowWhenActiveKeyAndNoNextKeyThenReplacementSignsAtOnce() {
		SigningKeySet compromised = this.rotation.retireNow(started(), "a", T0.plusSeconds(1),
				() -> SigningKey.active(key("c"), JWSAlgorithm.RS256, T0.plusSeconds(1)));

		assertThat(compromised.active().get().kid()).isEqualTo("c");
		assertThat(compromised.find("a")).isNull();
	}

	@Test
	void retireNowWhenUnknownKidThenRefused() {
		assertThatThrownBy(() -> this.rotation.retireNow(started(), "nope", T0, () -> null))
			.isInstanceOf(SigningKeyChangeRefusedException.class)
			.hasMessageContaining("no signing key with kid nope");
	}

	@Test
	void dueCreatesTheNextKeyEarlyEnoughToBePublishedWhenTheRotationIsDue() {
		Duration interval = Duration.ofDays(30);
		SigningKeySet set = started();
		Instant rotation = T0.plus(interval);

		assertThat(this.rotation.due(set, JWSAlgorithm.RS256, interval, rotation.minus(PUBLICATION).minusSeconds(1)))
			.isEqualTo(SigningKeyRotation.Due.NOTHING);
		assertThat(this.rotation.due(set, JWSAlgorithm.RS256, interval, rotation.minus(PUBLICATION)))
			.isEqualTo(SigningKeyRotation.Due.CREATE_NEXT);

		SigningKeySet withNext = this.rotation.addNext(set, key("b"), JWSAlgorithm.RS256, rotation.minus(PUBLICATION));
		assertThat(this.rotation.due(withNext, JWSAlgorithm.RS256, interval, rotation.minusSeconds(1)))
			.isEqualTo(SigningKeyRotation.Due.NOTHING);
		assertThat(this.rotation.due(withNext, JWSAlgorithm.RS256, interval, rotation))
			.isEqualTo(SigningKeyRotation.Due.PROMOTE);
	}

	@Test
	void dueWhenNextKeyCreatedLateThenPromotionWaitsForItsPublication() {
		Duration interval = Duration.ofDays(30);
		Instant late = T0.plus(interval).plusSeconds(5);
		SigningKeySet withNext = this.rotation.addNext(started(), key("b"), JWSAlgorithm.RS256, late);

		assertThat(this.rotation.due(withNext, JWSAlgorithm.RS256, interval, late.plus(PUBLICATION).minusSeconds(1)))
			.isEqualTo(SigningKeyRotation.Due.NOTHING);
		assertThat(this.rotation.due(withNext, JWSAlgorithm.RS256, interval, late.plus(PUBLICATION)))
			.isEqualTo(SigningKeyRotation.Due.PROMOTE);
	}

	@Test
	void startWhenSetHasNoEd25519KeyThenOneJoinsAsItsActiveKeyAndTheRsaKeysStay() {
		SigningKeySet set = this.rotation.start(started(), edKey(), JWSAlgorithm.EdDSA, T0.plusSeconds(1));

		assertThat(set.active().get().kid()).isEqualTo("a");
		assertThat(set.active(JWSAlgorithm.EdDSA).get().algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		assertThat(this.rotation.start(set, edKey(), JWSAlgorithm.EdDSA, T0.plusSeconds(2))).isSameAs(set);
	}

	@Test
	void promoteWhenEd25519NextKeyThenItSignsAndOnlyTheEd25519ActiveKeyIsRetired() {
		SigningKeySet both = this.rotation.start(started(), edKey(), JWSAlgorithm.EdDSA, T0);
		String oldEd = both.active(JWSAlgorithm.EdDSA).get().kid();
		SigningKeySet withNext = this.rotation.addNext(both, edKey(), JWSAlgorithm.EdDSA, T0);
		String nextEd = withNext.next(JWSAlgorithm.EdDSA).get().kid();
		assertThat(withNext.next()).as("no RS256 next key").isEmpty();

		SigningKeySet promoted = this.rotation.promote(withNext, JWSAlgorithm.EdDSA, T0.plus(PUBLICATION));

		assertThat(promoted.active(JWSAlgorithm.EdDSA).get().kid()).isEqualTo(nextEd);
		assertThat(promoted.find(oldEd).state()).isEqualTo(SigningKey.State.RETIRED);
		assertThat(promoted.active().get().kid()).as("the RS256 key signs on").isEqualTo("a");
		assertThatThrownBy(() -> this.rotation.promote(promoted, JWSAlgorithm.RS256, T0.plus(PUBLICATION)))
			.isInstanceOf(SigningKeyChangeRefusedException.class);
		assertThat(this.rotation.due(promoted, JWSAlgorithm.EdDSA, Duration.ofDays(30), T0.plus(PUBLICATION)))
			.isEqualTo(SigningKeyRotation.Due.NOTHING);
	}

	@Test
	void retireNowWhenActiveEd25519KeyThenItsReplacementIsEd25519AndTheRsaKeysStay() {
		SigningKeySet both = this.rotation.start(started(), edKey(), JWSAlgorithm.EdDSA, T0);
		String oldEd = both.active(JWSAlgorithm.EdDSA).get().kid();

		SigningKeySet compromised = this.rotation.retireNow(both, oldEd, T0.plusSeconds(1),
				() -> SigningKey.active(edKey(), JWSAlgorithm.EdDSA, T0.plusSeconds(1)));

		assertThat(compromised.find(oldEd)).isNull();
		assertThat(compromised.active(JWSAlgorithm.EdDSA).get().kid()).isNotEqualTo(oldEd);
		assertThat(compromised.active().get().kid()).isEqualTo("a");
	}

	@Test
	void setWhenTwoActiveKeysOfOneAlgorithmThenRefused() {
		assertThatThrownBy(() -> new SigningKeySet(1, List.of(SigningKey.active(edKey(), JWSAlgorithm.EdDSA, T0),
				SigningKey.active(edKey(), JWSAlgorithm.EdDSA, T0))))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("per algorithm");
	}

	@Test
	void keyWhenEd25519KeyBoundToRs256ThenRefused() {
		assertThatThrownBy(() -> SigningKey.active(edKey(), JWSAlgorithm.RS256, T0))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("bound to EdDSA");
	}

	private static JWK edKey() {
		return Ed25519Keys.generate();
	}

	@Test
	void keyWhenAlgorithmDiffersFromItsJwksThenRefused() {
		assertThatThrownBy(() -> SigningKey.active(key("a"), JWSAlgorithm.ES256, T0))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("bound to RS256");
	}

	@Test
	void toStringNeverShowsThePrivateKey() {
		SigningKey key = started().active().get();

		assertThat(key.toString()).doesNotContain(((RSAKey) key.privateKey()).getPrivateExponent().toString());
	}

}
