package dev.portcullis.oauth2.token;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keys in use follow the key set: the signer, the verification keys and the published JWK Set change together,
 * an older version never replaces a newer one, and a retired key leaves the JWK Set once its last token expired.
 */
class CurrentSigningKeysTests {

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final SigningKeyRotation rules = new SigningKeyRotation(Duration.ZERO, Duration.ofHours(1));

	private static RSAKey key(String kid) {
		return new RSAKey.Builder(UnitTestFixtures.signingKey()).keyID(kid).algorithm(JWSAlgorithm.RS256).build();
	}

	@Test
	void updateWhenNextKeyThenPublishedButNotSigningAndAfterPromotionSigning() throws Exception {
		SigningKeySet first = this.rules.start(SigningKeySet.EMPTY, key("a"), JWSAlgorithm.RS256, this.clock.instant());
		CurrentSigningKeys keys = new CurrentSigningKeys(first, this.clock);
		List<String> heard = new ArrayList<>();
		keys.onChange((snapshot) -> heard.add(snapshot.signer().kid()));

		SigningKeySet withNext = this.rules.addNext(first, key("b"), JWSAlgorithm.RS256, this.clock.instant());
		assertThat(keys.update(withNext)).isTrue();

		assertThat(keys.current().signer().kid()).isEqualTo("a");
		assertThat(JWKSet.parse(keys.current().publicJwkSet()).getKeys()).extracting((jwk) -> jwk.getKeyID())
			.containsExactly("a", "b");
		assertThat(JWKSet.parse(keys.current().publicJwkSet()).getKeys()).allMatch((jwk) -> !jwk.isPrivate());

		SigningKeySet promoted = this.rules.promote(withNext, JWSAlgorithm.RS256, this.clock.instant());
		keys.update(promoted);
		assertThat(keys.current().signer().kid()).isEqualTo("b");
		assertThat(keys.current().signer().header().toBase64URL().decodeToString()).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"b\"}");
		assertThat(heard).containsExactly("a", "b");
	}

	@Test
	void updateWhenOlderVersionThenIgnored() {
		SigningKeySet first = this.rules.start(SigningKeySet.EMPTY, key("a"), JWSAlgorithm.RS256, this.clock.instant());
		SigningKeySet withNext = this.rules.addNext(first, key("b"), JWSAlgorithm.RS256, this.clock.instant());
		CurrentSigningKeys keys = new CurrentSigningKeys(withNext, this.clock);

		assertThat(keys.update(first)).isFalse();
		assertThat(keys.current().set()).isEqualTo(withNext);
	}

	@Test
	void updateWhenRetiredKeysLastTokenExpiredThenNoLongerPublishedNorAccepted() throws Exception {
		SigningKeySet first = this.rules.start(SigningKeySet.EMPTY, key("a"), JWSAlgorithm.RS256, this.clock.instant());
		SigningKeySet promoted = this.rules
			.promote(this.rules.addNext(first, key("b"), JWSAlgorithm.RS256, this.clock.instant()), JWSAlgorithm.RS256,
					this.clock.instant());
		CurrentSigningKeys keys = new CurrentSigningKeys(promoted, this.clock);
		assertThat(keys.current().accepts("a", this.clock.instant())).isTrue();

		this.clock.advance(Duration.ofHours(1));

		assertThat(keys.current().accepts("a", this.clock.instant())).as("refused at once, before any update").isFalse();
		assertThat(keys.update(promoted)).as("same version, but the published keys change").isTrue();
		assertThat(JWKSet.parse(keys.current().publicJwkSet()).getKeys()).extracting((jwk) -> jwk.getKeyID())
			.containsExactly("b");
	}

}
