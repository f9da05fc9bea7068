package dev.portcullis.store;

import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.RevocationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.store.AbstractAuthorizationStoreContractTests.Stores;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link RevocationStore} must have, with the {@link AuthorizationStore} it is paired with: a
 * token is not revoked only while it is the current token of a live grant and no revocation of it is live. Time is
 * a {@link MutableClock}; subclasses only wire fresh, empty stores on it.
 */
public abstract class AbstractRevocationStoreContractTests {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	protected RevocationStore store;

	protected AuthorizationStore authorizations;

	/** New, empty, paired stores that read time from {@code clock}. */
	protected abstract Stores createStores(Clock clock);

	@BeforeEach
	void setUpStore() {
		Stores stores = createStores(this.clock);
		this.store = stores.revocations();
		this.authorizations = stores.authorizations();
	}

	@Test
	void isRevokedWhenTheCurrentTokenOfALiveGrantThenFalse() {
		assertRevoked(liveGrant().accessTokenJti(), false);
	}

	@Test
	void isRevokedWhenRevokedThenTrue() {
		String jti = liveGrant().accessTokenJti();

		StepVerifier.create(this.store.revoke(jti, inMinutes(10))).expectComplete().verify(TIMEOUT);

		assertRevoked(jti, true);
	}

	@Test
	void isRevokedWhenItsGrantNeverExistedOrEndedThenTrue() {
		Authorization ended = liveGrant();
		this.authorizations.remove(ended.id()).block(TIMEOUT);

		assertRevoked(ended.accessTokenJti(), true);
		assertRevoked(newJti(), true);
	}

	/** Issue 11: the cap on live grants ends grants without a revocation entry to keep per token. */
	@Test
	void isRevokedWhenNoLongerItsGrantsCurrentTokenThenTrueWithoutARevocation() {
		Authorization first = liveGrant();
		Authorization refreshed = TestAuthorizations.rotated(first, this.clock.instant());
		this.authorizations.save(refreshed).block(TIMEOUT);

		assertRevoked(first.accessTokenJti(), true);
		assertRevoked(refreshed.accessTokenJti(), false);
	}

	@Test
	void isRevokedWhenOtherTokenOfSameAuthorizationRevokedThenFalse() {
		Authorization grant = liveGrant();

		this.store.revoke(TestAuthorizations.newJti(grant.id()), inMinutes(10)).block(TIMEOUT);

		assertRevoked(grant.accessTokenJti(), false);
	}

	@Test
	void revokeWhenRevokedAgainWithEarlierExpiryThenLaterExpiryKept() {
		String jti = liveGrant().accessTokenJti();
		this.store.revoke(jti, inMinutes(10)).then(this.store.revoke(jti, inMinutes(1))).block(TIMEOUT);

		this.clock.advance(Duration.ofMinutes(5));

		assertRevoked(jti, true);
	}

	@Test
	void revokeWhenTokenAlreadyExpiredThenNothingRecordedAndTheCurrentTokenStillCounts() {
		String jti = liveGrant().accessTokenJti();

		StepVerifier.create(this.store.revoke(jti, inMinutes(-1))).expectComplete().verify(TIMEOUT);

		assertRevoked(jti, false);
	}

	/**
	 * The proxy's answer without waiting (BearerTokenWebFilter) ends with the token, as the store's answer does. (Over
	 * Redis with a live local view: AbstractLocalRevocationViewTests.)
	 */
	@Test
	void isKnownNotRevokedWhenRevokedAfterAnsweredNotRevokedThenNoLonger() {
		String jti = liveGrant().accessTokenJti();
		assertRevoked(jti, false);

		this.store.revoke(jti, inMinutes(10)).block(TIMEOUT);

		assertRevoked(jti, true);
	}

	@Test
	void isRevokedWhenJtiNotIssuedHereThenTrue() {
		assertRevoked("Foreign-JTI:{not-hex}", true);
	}

	/** A grant saved now, whose access token lives an hour and refresh token a day. */
	protected Authorization liveGrant() {
		Authorization grant = TestAuthorizations.authorization(this.clock.instant()).build();
		this.authorizations.save(grant).block(TIMEOUT);
		return grant;
	}

	protected Instant inMinutes(long minutes) {
		return this.clock.instant().plus(Duration.ofMinutes(minutes));
	}

	protected static String newJti() {
		return TestAuthorizations.newJti(TestAuthorizations.newId());
	}

	/**
	 * What {@link RevocationStore#isRevoked} answers; a revoked token is never {@code isKnownNotRevoked} either, and a
	 * store that {@linkplain #knowsEveryAnswer() knows every answer} knows a token that is not revoked as such.
	 */
	protected void assertRevoked(String jti, boolean revoked) {
		StepVerifier.create(this.store.isRevoked(jti)).expectNext(revoked).expectComplete().verify(TIMEOUT);
		if (revoked || knowsEveryAnswer()) {
			assertThat(this.store.isKnownNotRevoked(jti)).as("known not revoked").isEqualTo(!revoked);
		}
	}

	/** Whether the store answers {@code isKnownNotRevoked} for every token (in memory) or only for some it asked. */
	protected boolean knowsEveryAnswer() {
		return false;
	}

}
