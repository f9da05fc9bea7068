package dev.portcullis.oauth2.token;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.portcullis.fixtures.JdkEd25519;
import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.Ed25519Keys;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: EdDSA (Ed25519) signing chosen per client. A token signed for an EdDSA client names the Ed25519 key and
 * verifies with the OKP key the JWK Set publishes (checked here with the JDK's own Ed25519, from the JWK's {@code x},
 * apart from the gateway's conversion); an RS256 client's tokens are as before; the Ed25519 key rotates like the RSA
 * one; each key verifies only its own algorithm.
 */
class EdDsaSigningTests {

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final SigningKeyRotation rules = new SigningKeyRotation(Duration.ZERO, Duration.ofHours(1));

	private final SigningKeySet both = this.rules.start(
			this.rules.start(SigningKeySet.EMPTY, UnitTestFixtures.signingKey(), JWSAlgorithm.RS256, this.clock.instant()),
			Ed25519Keys.generate(), JWSAlgorithm.EdDSA, this.clock.instant());

	private final CurrentSigningKeys keys = new CurrentSigningKeys(this.both, this.clock);

	@Test
	void generateWhenEdDsaThenHeaderNamesTheOkpKeyAndTheJwkSetsKeyVerifiesIt() throws Exception {
		String token = generate(SigningAlgorithm.EdDSA);
		String okpKid = this.both.active(JWSAlgorithm.EdDSA).get().kid();

		String[] parts = token.split("\\.");
		assertThat(Base64URL.from(parts[0]).decodeToString())
			.isEqualTo("{\"typ\":\"JWT\",\"alg\":\"EdDSA\",\"kid\":\"" + okpKid + "\"}");
		OctetKeyPair published = (OctetKeyPair) JWKSet.parse(this.keys.current().publicJwkSet()).getKeyByKeyId(okpKid);
		assertThat(published.getCurve()).isEqualTo(Curve.Ed25519);
		assertThat(published.isPrivate()).isFalse();
		Signature verifier = Signature.getInstance("Ed25519");
		verifier.initVerify(JdkEd25519.publicKey(published));
		verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
		assertThat(verifier.verify(Base64URL.from(parts[2]).decode())).isTrue();
		assertThat(Base64URL.from(parts[1]).decodeToString()).startsWith("{\"aud\":\"client\",\"jti\":");
	}

	@Test
	void generateWhenRs256ThenAsBeforeAndVerifiedByNimbusWithTheJwkSetsRsaKey() throws Exception {
		String token = generate(SigningAlgorithm.RS256);
		String rsaKid = this.both.active().get().kid();

		JWSObject jws = JWSObject.parse(token);
		assertThat(jws.getHeader().toBase64URL().decodeToString())
			.isEqualTo("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"" + rsaKid + "\"}");
		RSAKey published = (RSAKey) JWKSet.parse(this.keys.current().publicJwkSet()).getKeyByKeyId(rsaKid);
		assertThat(jws.verify(new RSASSAVerifier(published))).isTrue();
	}

	@Test
	void jwkSetWhenBothAlgorithmsThenBothPublicKeysAndNoPrivatePart() throws Exception {
		List<JWK> published = JWKSet.parse(this.keys.current().publicJwkSet()).getKeys();

		assertThat(published).extracting(JWK::getKeyType).containsExactlyInAnyOrder(KeyType.RSA, KeyType.OKP);
		assertThat(published).extracting(JWK::getAlgorithm)
			.containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.EdDSA);
		assertThat(published).noneMatch(JWK::isPrivate);
		assertThat(this.keys.current().publicJwkSet()).doesNotContain("\"d\"");
	}

	@Test
	void verifiesWhenTokenOfTheOtherAlgorithmThenFalseAndNoVerificationKeyForItsHeader() throws Exception {
		SigningKey rsa = this.both.active().get();
		SigningKey ed = this.both.active(JWSAlgorithm.EdDSA).get();
		JWSObject edToken = JWSObject.parse(generate(SigningAlgorithm.EdDSA));
		JWSObject rsaToken = JWSObject.parse(generate(SigningAlgorithm.RS256));

		assertThat(ed.verifies(edToken)).isTrue();
		assertThat(rsa.verifies(edToken)).isFalse();
		assertThat(ed.verifies(rsaToken)).isFalse();
		assertThat(this.keys.current().verificationKey(rsa.kid(), JWSAlgorithm.EdDSA, this.clock.instant())).isNull();
		assertThat(this.keys.current().verificationKey(ed.kid(), JWSAlgorithm.RS256, this.clock.instant())).isNull();
		assertThat(this.keys.current().verificationKey(ed.kid(), JWSAlgorithm.EdDSA, this.clock.instant())).isEqualTo(ed);
	}

	@Test
	void rotationWhenEd25519KeyPromotedThenEdDsaTokensCarryTheNewKidAndTheOldKeyStillVerifies() throws Exception {
		String before = generate(SigningAlgorithm.EdDSA);
		CurrentSigningKeys.ActiveSigner rsaSigner = this.keys.current().signer(SigningAlgorithm.RS256);
		SigningKeySet withNext = this.rules.addNext(this.both, Ed25519Keys.generate(), JWSAlgorithm.EdDSA,
				this.clock.instant());
		String nextKid = withNext.next(JWSAlgorithm.EdDSA).get().kid();
		this.keys.update(withNext);
		assertThat(JWSObject.parse(generate(SigningAlgorithm.EdDSA)).getHeader().getKeyID())
			.as("published, not signing yet").isNotEqualTo(nextKid);

		this.keys.update(this.rules.promote(withNext, JWSAlgorithm.EdDSA, this.clock.instant()));

		assertThat(JWSObject.parse(generate(SigningAlgorithm.EdDSA)).getHeader().getKeyID()).isEqualTo(nextKid);
		assertThat(this.keys.current().signer(SigningAlgorithm.RS256)).as("the RS256 signer is kept").isSameAs(rsaSigner);
		JWSObject old = JWSObject.parse(before);
		SigningKey retired = this.keys.current()
			.verificationKey(old.getHeader().getKeyID(), JWSAlgorithm.EdDSA, this.clock.instant());
		assertThat(retired).isNotNull();
		assertThat(retired.state()).isEqualTo(SigningKey.State.RETIRED);
		assertThat(retired.verifies(old)).isTrue();
	}

	@Test
	void signerWhenNoEd25519KeyConfiguredThenEdDsaClientsGetRs256Tokens() throws Exception {
		CurrentSigningKeys configured = CurrentSigningKeys.withActiveKey(UnitTestFixtures.signingKey(), this.clock);

		String token = new JwtAccessTokenGenerator(configured, "issuer").generate(context(), SigningAlgorithm.EdDSA)
			.value();

		assertThat(JWSObject.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
	}

	private String generate(SigningAlgorithm algorithm) {
		return new JwtAccessTokenGenerator(this.keys, "issuer").generate(context(), algorithm).value();
	}

	private TokenContext context() {
		return new TokenContext(TokenIds.newAuthorizationId(), "client", "user", Set.of("read"), this.clock.instant(),
				Duration.ofMinutes(5));
	}

}
