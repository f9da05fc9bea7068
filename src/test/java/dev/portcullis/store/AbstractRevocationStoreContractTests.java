package dev.portcullis.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The behaviour every {@link RevocationStore} must have. Time is a {@link MutableClock}; subclasses only provide a
 * fresh, empty store on it.
 */
public abstract class AbstractRevocationStoreContractTests {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	protected RevocationStore store;

	/** A new store that holds no revocation and reads time from {@code clock}. */
	protected abstract RevocationStore createStore(Clock clock);

	@BeforeEach
	void setUpStore() {
		this.store = createStore(this.clock);
	}

	@Test
	void isRevokedWhenRevokedThenTrue() {
		String jti = newJti();

		StepVerifier.create(this.store.revoke(jti, inMinutes(10))).expectComplete().verify(TIMEOUT);

		assertRevoked(jti, true);
	}

	@Test
	void isRevokedWhenNeverRevokedThenFalse() {
		assertRevoked(newJti(), false);
	}

	@Test
	void isRevokedWhenOtherTokenOfSameAuthorizationRevokedThenFalse() {
		String authorizationId = TestAuthorizations.newId();
		String revoked = TestAuthorizations.newJti(authorizationId);
		String sibling = TestAuthorizations.newJti(authorizationId);

		this.store.revoke(revoked, inMinutes(10)).block(TIMEOUT);

		assertRevoked(revoked, true);
		assertRevoked(sibling, false);
	}

	@Test
	void isRevokedWhenTokenExpiredThenFalse() {
		String jti = newJti();
		this.store.revoke(jti, inMinutes(10)).block(TIMEOUT);

		this.clock.advance(Duration.ofMinutes(10));

		assertRevoked(jti, false);
	}

	@Test
	void isRevokedWhenSeveralTokensOfOneAuthorizationThenEachUntilItsOwnExpiry() {
		String authorizationId = TestAuthorizations.newId();
		String first = TestAuthorizations.newJti(authorizationId);
		String second = TestAuthorizations.newJti(authorizationId);
		this.store.revoke(first, inMinutes(5)).then(this.store.revoke(second, inMinutes(10))).block(TIMEOUT);

		this.clock.advance(Duration.ofMinutes(5));
		// a later revocation in the same authorization must not disturb the live entry
		this.store.revoke(TestAuthorizations.newJti(authorizationId), inMinutes(1)).block(TIMEOUT);

		assertRevoked(first, false);
		assertRevoked(second, true);
	}

	@Test
	void revokeWhenTokenAlreadyExpiredThenNothingRecorded() {
		String expired = newJti();
		String expiringNow = newJti();

		StepVerifier.create(this.store.revoke(expired, inMinutes(-1))).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.revoke(expiringNow, inMinutes(0))).expectComplete().verify(TIMEOUT);

		assertRevoked(expired, false);
		assertRevoked(expiringNow, false);
	}

	@Test
	void revokeWhenRevokedAgainWithEarlierExpiryThenLaterExpiryKept() {
		String jti = newJti();
		this.store.revoke(jti, inMinutes(10)).then(this.store.revoke(jti, inMinutes(1))).block(TIMEOUT);

		this.clock.advance(Duration.ofMinutes(5));

		assertRevoked(jti, true);
	}

	@Test
	void isRevokedWhenJtiNotIssuedHereThenRevocationStillHonoured() {
		String foreign = "Foreign-JTI:{not-hex}";

		this.store.revoke(foreign, inMinutes(10)).block(TIMEOUT);

		assertRevoked(foreign, true);
		assertRevoked("another-foreign-jti", false);
	}

	protected Instant inMinutes(long minutes) {
		return this.clock.instant().plus(Duration.ofMinutes(minutes));
	}

	protected static String newJti() {
		return TestAuthorizations.newJti(TestAuthorizations.newId());
	}

	protected void assertRevoked(String jti, boolean revoked) {
		StepVerifier.create(this.store.isRevoked(jti)).expectNext(revoked).expectComplete().verify(TIMEOUT);
	}

}
