package dev.portcullis.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.portcullis.fixtures.JdkEd25519;
import dev.portcullis.oauth2.token.AccessToken;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.SigningKey;
import dev.portcullis.oauth2.token.SigningKeyRotation;
import dev.portcullis.oauth2.token.SigningKeySet;
import dev.portcullis.oauth2.token.TokenContext;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.support.Ed25519Keys;
import dev.portcullis.support.MutableClock;
import dev.portcullis.support.RsaKeys;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bearer-token check, including its cache of verified tokens: a cached token is still refused once revoked or
 * expired, and a revocation store that cannot answer fails the check closed.
 */
class RevocationCheckingJwtDecoderTests {

	private static final CurrentSigningKeys KEYS = CurrentSigningKeys.withActiveKey(RsaKeys.generate());

	/** An RS256 and an EdDSA key, each active, as a gateway keeping its keys in the store has. */
	private static final CurrentSigningKeys BOTH = new CurrentSigningKeys(new SigningKeySet(1,
			List.of(SigningKey.active(RsaKeys.generate(), JWSAlgorithm.RS256, Instant.now()),
					SigningKey.active(Ed25519Keys.generate(), JWSAlgorithm.EdDSA, Instant.now()))),
			java.time.Clock.systemUTC());

	private final MutableClock clock = new MutableClock(Instant.now());

	private final InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.clock);

	private final RevocationCheckingJwtDecoder decoder = new RevocationCheckingJwtDecoder(KEYS, Set.of("issuer"),
			Duration.ofSeconds(30), this.revocations, this.clock);

	@Test
	void decodeWhenValidThenJwtAndAgainFromCache() {
		AccessToken token = issue("issuer", Duration.ofMinutes(5));

		StepVerifier.create(this.decoder.decode(token.value()))
			.expectNextMatches((jwt) -> jwt.getId().equals(token.jti()))
			.verifyComplete();
		StepVerifier.create(this.decoder.decode(token.value()))
			.expectNextMatches((jwt) -> jwt.getId().equals(token.jti()))
			.verifyComplete();
	}

	@Test
	void decodeIfKnownGoodWhenVerifiedBeforeThenTheJwtElseNull() {
		AccessToken token = issue("issuer", Duration.ofMinutes(5));
		assertThat(this.decoder.decodeIfKnownGood(token.value())).as("never verified").isNull();

		this.decoder.decode(token.value()).block();

		assertThat(this.decoder.decodeIfKnownGood(token.value())).extracting(Jwt::getId).isEqualTo(token.jti());
	}

	@Test
	void decodeIfKnownGoodWhenRevokedOrExpiredThenNull() {
		AccessToken revoked = issue("issuer", Duration.ofMinutes(5));
		AccessToken expiring = issue("issuer", Duration.ofMinutes(5));
		this.decoder.decode(revoked.value()).block();
		this.decoder.decode(expiring.value()).block();

		this.revocations.revoke(revoked.jti(), revoked.expiresAt()).block();
		assertThat(this.decoder.decodeIfKnownGood(revoked.value())).isNull();
		assertThat(this.decoder.decodeIfKnownGood(expiring.value())).isNotNull();
		this.clock.advance(Duration.ofMinutes(6));
		assertThat(this.decoder.decodeIfKnownGood(expiring.value())).isNull();
	}

	@Test
	void decodeIfKnownGoodWhenExpiryPlusClockSkewReachedThenNull() {
		AccessToken token = issue("issuer", Duration.ofMinutes(5));
		Instant expiresAt = this.decoder.decode(token.value()).block().getExpiresAt();

		this.clock.advance(Duration.between(this.clock.instant(), expiresAt.plusSeconds(29)));
		assertThat(this.decoder.decodeIfKnownGood(token.value())).as("within the clock skew").isNotNull();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.decoder.decodeIfKnownGood(token.value())).isNull();
	}

	/** A retired key's acceptance ends by time alone, with no change of the keys to forget its tokens. */
	@Test
	void decodeIfKnownGoodWhenItsKeyNoLongerAcceptedThenNull() {
		Rotating keys = new Rotating(this.clock, Duration.ofMinutes(1));
		RevocationCheckingJwtDecoder decoder = keys.decoder(this.revocations);
		AccessToken before = keys.issue();
		keys.rotate();
		decoder.decode(before.value()).block();
		assertThat(decoder.decodeIfKnownGood(before.value())).isNotNull();

		this.clock.advance(Duration.ofMinutes(2));

		assertThat(decoder.decodeIfKnownGood(before.value())).isNull();
		StepVerifier.create(decoder.decode(before.value()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
			.verify();
	}

	@Test
	void decodeWhenCachedTokenRevokedThenRevokedHint() {
		AccessToken token = issue("issuer", Duration.ofMinutes(5));
		this.decoder.decode(token.value()).block();

		this.revocations.revoke(token.jti(), token.expiresAt()).block();

		StepVerifier.create(this.decoder.decode(token.value()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.REVOKED))
			.verify();
	}

	@Test
	void decodeWhenCachedTokenExpiresThenExpiredHint() {
		AccessToken token = issue("issuer", Duration.ofMinutes(5));
		this.decoder.decode(token.value()).block();

		this.clock.advance(Duration.ofMinutes(6));

		StepVerifier.create(this.decoder.decode(token.value()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.EXPIRED))
			.verify();
	}

	@Test
	void decodeWhenWrongIssuerThenNotVerified() {
		StepVerifier.create(this.decoder.decode(issue("someone-else", Duration.ofMinutes(5)).value()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
			.verify();
	}

	@Test
	void decodeWhenRevocationStoreUnavailableThenFailsClosedAsUnavailable() {
		RevocationCheckingJwtDecoder failing = failingWith(new RedisConnectionFailureException("Redis is down"));

		StepVerifier.create(failing.decode(issue("issuer", Duration.ofMinutes(5)).value()))
			.expectError(AuthenticationServiceException.class)
			.verify();
	}

	/** Issue 12: a bug in the check is not answered as an outage (503, retried forever), but it never passes either. */
	@Test
	void decodeWhenRevocationCheckHasABugThenFailsClosedAsAnError() {
		RevocationCheckingJwtDecoder failing = failingWith(new IllegalStateException("a bug"));

		StepVerifier.create(failing.decode(issue("issuer", Duration.ofMinutes(5)).value()))
			.expectError(IllegalStateException.class)
			.verify();
	}

	/** Issue 16: a client set to EdDSA gets tokens the proxy verifies with the Ed25519 key their kid names. */
	@Test
	void decodeWhenEdDsaTokenThenVerifiedWithTheEd25519Key() {
		AccessToken token = issue(BOTH, SigningAlgorithm.EdDSA);
		assertThat(header(token.value())).contains("\"alg\":\"EdDSA\"", "\"kid\":\"" + edKey().getKeyID() + "\"");

		StepVerifier.create(bothAlgorithms().decode(token.value()))
			.expectNextMatches((jwt) -> jwt.getId().equals(token.jti()))
			.verifyComplete();
	}

	/** Issue 16, alg confusion: a token signed by the real Ed25519 key but naming the RSA key's kid. */
	@Test
	void decodeWhenEdDsaHeaderOnTheRsaKidThenNotVerified() throws Exception {
		String payload = payload(issue(BOTH, SigningAlgorithm.RS256).value());
		String header = "{\"typ\":\"JWT\",\"alg\":\"EdDSA\",\"kid\":\"" + rsaKey().getKeyID() + "\"}";

		assertNotVerified(bothAlgorithms(), signedWithEd25519(header, payload));
	}

	/** Issue 16, alg confusion: a token signed by the real RSA key but naming the Ed25519 key's kid. */
	@Test
	void decodeWhenRs256HeaderOnTheEd25519KidThenNotVerified() throws Exception {
		String payload = payload(issue(BOTH, SigningAlgorithm.EdDSA).value());
		JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(edKey().getKeyID()).build(),
				new Payload(Base64URL.from(payload)));
		forged.sign(new RSASSASigner(rsaKey()));

		assertNotVerified(bothAlgorithms(), forged.serialize());
	}

	/** Issue 16, alg confusion: {@code alg: none}, naming each key in turn. */
	@Test
	void decodeWhenAlgNoneThenNotVerified() {
		String payload = payload(issue(BOTH, SigningAlgorithm.EdDSA).value());
		for (String kid : List.of(rsaKey().getKeyID(), edKey().getKeyID())) {
			String header = "{\"typ\":\"JWT\",\"alg\":\"none\",\"kid\":\"" + kid + "\"}";
			assertNotVerified(bothAlgorithms(), Base64URL.encode(header) + "." + payload + ".");
		}
	}

	/** Issue 16, alg confusion: HS256 with a public key as the HMAC secret (the RSA key's DER, the Ed25519 key's x). */
	@Test
	void decodeWhenHs256WithThePublicKeyAsSecretThenNotVerified() throws Exception {
		String payload = payload(issue(BOTH, SigningAlgorithm.EdDSA).value());
		Map<String, byte[]> secrets = Map.of(rsaKey().getKeyID(), rsaKey().toRSAPublicKey().getEncoded(),
				edKey().getKeyID(), edKey().getX().decode());
		for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
			JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(secret.getKey()).build(),
					new Payload(Base64URL.from(payload)));
			forged.sign(new MACSigner(secret.getValue()));
			assertNotVerified(bothAlgorithms(), forged.serialize());
		}
	}

	/**
	 * Review, Ed25519 malleability: the gateway's own EdDSA token with S replaced by S + L (the group order) is another
	 * signature of the same message for a verifier that does not insist on a canonical S (RFC 8032 §5.1.7); it would be
	 * a second text of the same token, beside the cache's spelling check.
	 */
	@Test
	void decodeWhenEdDsaSignatureHasSPlusTheGroupOrderThenNotVerified() {
		String token = issue(BOTH, SigningAlgorithm.EdDSA).value();
		int dot = token.lastIndexOf('.');
		byte[] signature = Base64URL.from(token.substring(dot + 1)).decode();
		byte[] s = java.util.Arrays.copyOfRange(signature, 32, 64);
		java.math.BigInteger order = java.math.BigInteger.TWO.pow(252)
			.add(new java.math.BigInteger("27742317777372353535851937790883648493"));
		byte[] malleated = littleEndian(littleEndian(s).add(order));
		System.arraycopy(malleated, 0, signature, 32, 32);

		assertNotVerified(bothAlgorithms(), token.substring(0, dot + 1) + Base64URL.encode(signature));
	}

	/**
	 * Review, embedded keys: a token that carries its own Ed25519 key ({@code jwk} header, and {@code jku}/{@code x5u}
	 * pointing elsewhere) and is signed with it, naming that key's kid and then the gateway's.
	 */
	@Test
	void decodeWhenTheTokenCarriesItsOwnKeyThenNotVerified() throws Exception {
		String payload = payload(issue(BOTH, SigningAlgorithm.EdDSA).value());
		OctetKeyPair attackers = Ed25519Keys.generate();
		for (String kid : List.of(attackers.getKeyID(), edKey().getKeyID())) {
			String header = "{\"typ\":\"JWT\",\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\",\"jwk\":"
					+ attackers.toPublicJWK().toJSONString() + ",\"jku\":\"https://attacker.example/jwks\","
					+ "\"x5u\":\"https://attacker.example/cert\"}";
			assertNotVerified(bothAlgorithms(), JdkEd25519.sign(attackers, header, payload));
		}
	}

	/**
	 * Review, RFC 7515 §4.1.11: a token with a {@code crit} header parameter the gateway does not understand is
	 * refused whatever its signature, as Nimbus's own verifiers (RS256 here) refuse it.
	 */
	@Test
	void decodeWhenACriticalHeaderIsNotUnderstoodThenNotVerifiedWithEitherAlgorithm() throws Exception {
		String payload = payload(issue(BOTH, SigningAlgorithm.EdDSA).value());
		String edHeader = "{\"typ\":\"JWT\",\"alg\":\"EdDSA\",\"kid\":\"" + edKey().getKeyID()
				+ "\",\"crit\":[\"x-unknown\"],\"x-unknown\":true}";
		JWSObject rsa = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsaKey().getKeyID())
			.criticalParams(Set.of("x-unknown"))
			.customParam("x-unknown", true)
			.build(), new Payload(Base64URL.from(payload)));
		rsa.sign(new RSASSASigner(rsaKey()));

		assertNotVerified(bothAlgorithms(), rsa.serialize());
		assertNotVerified(bothAlgorithms(), signedWithEd25519(edHeader, payload));
	}

	private static java.math.BigInteger littleEndian(byte[] bytes) {
		byte[] bigEndian = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			bigEndian[i] = bytes[bytes.length - 1 - i];
		}
		return new java.math.BigInteger(1, bigEndian);
	}

	private static byte[] littleEndian(java.math.BigInteger value) {
		byte[] bigEndian = value.toByteArray();
		byte[] bytes = new byte[32];
		for (int i = 0; i < 32 && i < bigEndian.length; i++) {
			bytes[i] = bigEndian[bigEndian.length - 1 - i];
		}
		return bytes;
	}

	private static void assertNotVerified(RevocationCheckingJwtDecoder decoder, String token) {
		StepVerifier.create(Mono.defer(() -> decoder.decode(token)))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
			.verify();
	}

	private RevocationCheckingJwtDecoder bothAlgorithms() {
		return new RevocationCheckingJwtDecoder(BOTH, Set.of("issuer"), Duration.ofSeconds(30), this.revocations,
				this.clock);
	}

	private AccessToken issue(CurrentSigningKeys keys, SigningAlgorithm algorithm) {
		return new JwtAccessTokenGenerator(keys, "issuer").generate(new TokenContext(TokenIds.newAuthorizationId(),
				"client", "user", Set.of(), this.clock.instant(), Duration.ofMinutes(5)), algorithm);
	}

	private static RSAKey rsaKey() {
		return BOTH.current().set().active().get().privateKey().toRSAKey();
	}

	private static OctetKeyPair edKey() {
		return BOTH.current().set().active(JWSAlgorithm.EdDSA).get().privateKey().toOctetKeyPair();
	}

	private static String header(String token) {
		return Base64URL.from(token.substring(0, token.indexOf('.'))).decodeToString();
	}

	private static String payload(String token) {
		return token.split("\\.")[1];
	}

	/** Signed with the JDK's Ed25519 and the real private key, not through the gateway's signer. */
	private static String signedWithEd25519(String header, String payload) throws Exception {
		return JdkEd25519.sign(edKey(), header, payload);
	}

	private RevocationCheckingJwtDecoder failingWith(RuntimeException failure) {
		return new RevocationCheckingJwtDecoder(KEYS, Set.of("issuer"), Duration.ofSeconds(30),
				new InMemoryRevocationStore(this.clock) {

					@Override
					public Mono<Boolean> isRevoked(String jti) {
						return Mono.error(failure);
					}

				}, this.clock);
	}

	/** Issue 11: each of these spellings used to verify, at the cost of a signature check and a cache entry each. */
	@Test
	void decodeWhenAnyOtherSpellingOfAValidTokenThenNotVerifiedAndNothingCached() {
		String token = issue("issuer", Duration.ofMinutes(5)).value();
		this.decoder.decode(token).block();
		int cached = this.decoder.cachedTokens();
		String[] parts = token.split("\\.");
		String signature = parts[2];
		List<String> spellings = new ArrayList<>();
		for (int i = 1; i < signature.length(); i += 37) {
			spellings.add(parts[0] + "." + parts[1] + "." + signature.substring(0, i) + "~" + signature.substring(i));
		}
		spellings.add(parts[0] + "~." + parts[1] + "." + signature);
		spellings.add(token.replace('-', '+').replace('_', '/'));
		spellings.add(token + "=");
		spellings.add(token + "==");
		spellings.add(parts[0] + "=." + parts[1] + "." + signature);
		// a 2048-bit RS256 signature is 256 bytes, 342 characters: the last one carries 4 unused bits, so 15 other
		// characters decode to the same bytes
		assertThat(signature).hasSize(342);
		char last = signature.charAt(signature.length() - 1);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		int value = alphabet.indexOf(last);
		for (int unused = 1; unused < 16; unused++) {
			spellings.add(token.substring(0, token.length() - 1) + alphabet.charAt((value & ~0x0F) | unused));
		}
		spellings.add(parts[0] + "." + parts[1] + "." + signature + "." + signature);
		spellings.add(parts[0] + "." + parts[1] + ".");

		for (String spelling : spellings) {
			StepVerifier.create(this.decoder.decode(spelling))
				.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
				.verify();
		}
		assertThat(this.decoder.cachedTokens()).isEqualTo(cached);
	}

	@Test
	void isCanonicalWhenTheUnusedBitsOfTheLastCharacterAreSetThenFalse() {
		assertThat(CompactJws.isCanonical("AA.AQ.AQI")).isTrue();
		assertThat(CompactJws.isCanonical("AA.AR.AQI")).as("4 unused bits, one set").isFalse();
		assertThat(CompactJws.isCanonical("AA.AQ.AQJ")).as("2 unused bits, one set").isFalse();
		assertThat(CompactJws.isCanonical("AA.AQ.A")).as("one character is never a whole byte").isFalse();
		assertThat(CompactJws.isCanonical("AA..AQI")).isFalse();
		assertThat(CompactJws.isCanonical("AA.AQ")).isFalse();
	}

	@Test
	void decodeWhenKeysRotateThenTokensOfTheOldAndTheNewKeyVerify() {
		Rotating keys = new Rotating(this.clock);
		RevocationCheckingJwtDecoder decoder = keys.decoder(this.revocations);
		AccessToken before = keys.issue();

		keys.rotate();
		AccessToken after = keys.issue();

		assertThat(kid(after.value())).isEqualTo("b").isNotEqualTo(kid(before.value()));
		StepVerifier.create(decoder.decode(before.value())).expectNextCount(1).verifyComplete();
		StepVerifier.create(decoder.decode(after.value())).expectNextCount(1).verifyComplete();
	}

	@Test
	void decodeWhenCachedTokensKeyRetiredNowThenRefusedAndForgotten() {
		Rotating keys = new Rotating(this.clock);
		RevocationCheckingJwtDecoder decoder = keys.decoder(this.revocations);
		AccessToken before = keys.issue();
		keys.rotate();
		decoder.decode(before.value()).block();
		assertThat(decoder.cachedTokens()).isOne();

		assertThat(decoder.decodeIfKnownGood(before.value())).isNotNull();

		keys.retireNow("a");

		assertThat(decoder.decodeIfKnownGood(before.value())).isNull();
		assertThat(decoder.cachedTokens()).as("forgotten when the keys changed").isZero();
		StepVerifier.create(decoder.decode(before.value()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
			.verify();
	}

	/** Attack: a token that names the next key's kid, signed (before its promotion) with a key of the attacker's. */
	@Test
	void decodeWhenKidOfTheNextKeyButSignedWithAnotherKeyThenNotVerified() throws Exception {
		Rotating keys = new Rotating(this.clock);
		RevocationCheckingJwtDecoder decoder = keys.decoder(this.revocations);
		keys.addNext();
		JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("b").build(),
				new Payload(claims()));
		forged.sign(new RSASSASigner(RsaKeys.generate()));

		StepVerifier.create(decoder.decode(forged.serialize()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
			.verify();
	}

	/** Attack: the right key and kid, but another algorithm than the one bound to the key. */
	@Test
	void decodeWhenAlgorithmIsNotTheKeysThenNotVerified() throws Exception {
		Rotating keys = new Rotating(this.clock);
		RevocationCheckingJwtDecoder decoder = keys.decoder(this.revocations);
		JWSObject other = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID("a").build(),
				new Payload(claims()));
		other.sign(new RSASSASigner(keys.privateKey("a")));

		StepVerifier.create(decoder.decode(other.serialize()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
			.verify();
	}

	@Test
	void decodeWhenNoKidThenNotVerified() throws Exception {
		Rotating keys = new Rotating(this.clock);
		RevocationCheckingJwtDecoder decoder = keys.decoder(this.revocations);
		JWSObject noKid = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), new Payload(claims()));
		noKid.sign(new RSASSASigner(keys.privateKey("a")));

		StepVerifier.create(decoder.decode(noKid.serialize()))
			.expectErrorMatches((ex) -> ex instanceof BadJwtException && ex.getMessage().equals(BearerTokenHints.NOT_VERIFIED))
			.verify();
	}

	private String claims() {
		long now = this.clock.instant().getEpochSecond();
		return "{\"aud\":\"client\",\"jti\":\"" + TokenIds.newJti(TokenIds.newAuthorizationId()) + "\",\"iat\":" + now
				+ ",\"nbf\":" + now + ",\"exp\":" + (now + 300) + ",\"sub\":\"user\",\"scopes\":[],\"iss\":\"issuer\"}";
	}

	private static String kid(String token) {
		try {
			return JWSObject.parse(token).getHeader().getKeyID();
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Keys "a" (active), then "b" (next, then active), changed through the rotation rules. */
	private static final class Rotating {

		private final SigningKeyRotation rules;

		private final MutableClock clock;

		private final CurrentSigningKeys keys;

		private SigningKeySet set;

		Rotating(MutableClock clock) {
			this(clock, Duration.ofDays(1));
		}

		/** A retired key's tokens accepted for {@code longestTokenLifetime} after its retirement. */
		Rotating(MutableClock clock, Duration longestTokenLifetime) {
			this.rules = new SigningKeyRotation(Duration.ZERO, longestTokenLifetime);
			this.clock = clock;
			this.set = this.rules.start(SigningKeySet.EMPTY, key("a"), JWSAlgorithm.RS256, clock.instant());
			this.keys = new CurrentSigningKeys(this.set, clock);
		}

		private static RSAKey key(String kid) {
			return new RSAKey.Builder(KEYS.current().set().active().get().privateKey().toRSAKey()).keyID(kid)
				.algorithm(JWSAlgorithm.RS256)
				.build();
		}

		RSAKey privateKey(String kid) {
			return this.set.find(kid).privateKey().toRSAKey();
		}

		RevocationCheckingJwtDecoder decoder(InMemoryRevocationStore revocations) {
			return new RevocationCheckingJwtDecoder(this.keys, Set.of("issuer"), Duration.ofSeconds(30), revocations,
					this.clock);
		}

		AccessToken issue() {
			return new JwtAccessTokenGenerator(this.keys, "issuer").generate(new TokenContext(
					TokenIds.newAuthorizationId(), "client", "user", Set.of(), this.clock.instant(), Duration.ofMinutes(5)),
					SigningAlgorithm.RS256);
		}

		void addNext() {
			change(this.rules.addNext(this.set, key("b"), JWSAlgorithm.RS256, this.clock.instant()));
		}

		void rotate() {
			addNext();
			change(this.rules.promote(this.set, JWSAlgorithm.RS256, this.clock.instant()));
		}

		void retireNow(String kid) {
			change(this.rules.retireNow(this.set, kid, this.clock.instant(), () -> null));
		}

		private void change(SigningKeySet changed) {
			this.set = changed;
			this.keys.update(changed);
		}

	}

	private AccessToken issue(String issuer, Duration lifetime) {
		return new JwtAccessTokenGenerator(KEYS, issuer).generate(new TokenContext(TokenIds.newAuthorizationId(),
				"client", "user", Set.of(), this.clock.instant(), lifetime), SigningAlgorithm.RS256);
	}

}
