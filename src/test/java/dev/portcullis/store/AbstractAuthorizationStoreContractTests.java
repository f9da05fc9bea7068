package dev.portcullis.store;

import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.RefreshOutcome;
import dev.portcullis.oauth2.store.RevocationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link AuthorizationStore} must have, together with the {@link RevocationStore} it revokes
 * access tokens in. Time is a {@link MutableClock}; subclasses only wire fresh, empty stores on it.
 */
public abstract class AbstractAuthorizationStoreContractTests {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** The reuse grace period the tests rotate with. */
	protected static final Duration GRACE = Duration.ofSeconds(30);

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	protected AuthorizationStore authorizations;

	protected RevocationStore revocations;

	/** New, empty stores that read time from {@code clock}; the authorization store revokes in the other one. */
	protected abstract Stores createStores(Clock clock);

	@BeforeEach
	void setUpStores() {
		Stores stores = createStores(this.clock);
		this.authorizations = stores.authorizations();
		this.revocations = stores.revocations();
	}

	@Test
	void findByIdWhenSavedThenFound() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();

		StepVerifier.create(this.authorizations.save(authorization)).expectComplete().verify(TIMEOUT);

		StepVerifier.create(this.authorizations.findById(authorization.id()))
			.expectNext(authorization)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findByIdWhenClientCredentialsThenFoundWithoutUserOrRefreshToken() {
		Authorization authorization = TestAuthorizations.clientCredentials(now()).build();

		save(authorization);

		StepVerifier.create(this.authorizations.findById(authorization.id())).assertNext((found) -> {
			assertThat(found).isEqualTo(authorization);
			assertThat(found.userId()).isNull();
			assertThat(found.refreshTokenHash()).isNull();
		}).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByIdWhenUnknownThenEmpty() {
		StepVerifier.create(this.authorizations.findById(TestAuthorizations.newId())).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findById("not an id")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByIdWhenOnlyAccessTokenExpiredThenFound() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);

		this.clock.advance(TestAuthorizations.ACCESS_TOKEN_TTL.plusMinutes(1));

		StepVerifier.create(this.authorizations.findById(authorization.id()))
			.expectNext(authorization)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findByIdWhenEveryTokenExpiredThenEmpty() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);

		this.clock.advance(TestAuthorizations.REFRESH_TOKEN_TTL);

		StepVerifier.create(this.authorizations.findById(authorization.id())).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenJtiDoesNotStartWithIdThenIllegalArgumentException() {
		Authorization authorization = TestAuthorizations.authorization(now())
			.accessTokenJti(TestAuthorizations.newJti(TestAuthorizations.newId()))
			.build();

		StepVerifier.create(this.authorizations.save(authorization))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);

		StepVerifier.create(this.authorizations.findById(authorization.id())).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenIdIsNotLowerCaseHexThenIllegalArgumentException() {
		String id = "A".repeat(32);
		Authorization authorization = TestAuthorizations.authorization(now())
			.id(id)
			.accessTokenJti(id + "0".repeat(48))
			.build();

		StepVerifier.create(this.authorizations.save(authorization))
			.expectError(IllegalArgumentException.class)
			.verify(TIMEOUT);
	}

	@Test
	void rotateWhenCurrentRefreshTokenThenRotatedAndPreviousAccessTokenRevoked() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);
		this.clock.advance(Duration.ofMinutes(10));
		Authorization rotated = TestAuthorizations.rotated(authorization, now());

		StepVerifier.create(this.authorizations.rotate(rotated, authorization.refreshTokenHash(), now(), GRACE))
			.expectNext(RefreshOutcome.ROTATED)
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.authorizations.findById(authorization.id()))
			.expectNext(rotated)
			.expectComplete()
			.verify(TIMEOUT);
		assertRevoked(authorization.accessTokenJti(), true);
		assertRevoked(rotated.accessTokenJti(), false);
	}

	@Test
	void rotateWhenRotatedOutTokenPresentedAfterGraceThenReusedAndAuthorizationRemovedAndCurrentAccessTokenRevoked() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);
		Authorization rotated = TestAuthorizations.rotated(authorization, now());
		this.authorizations.rotate(rotated, authorization.refreshTokenHash(), now(), GRACE).block(TIMEOUT);

		this.clock.advance(GRACE.plusMillis(1));

		StepVerifier
			.create(this.authorizations.rotate(TestAuthorizations.rotated(authorization, now()),
					authorization.refreshTokenHash(), now(), GRACE))
			.expectNext(RefreshOutcome.REUSED)
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.authorizations.findById(authorization.id())).expectComplete().verify(TIMEOUT);
		assertRevoked(rotated.accessTokenJti(), true);
		// the current refresh token died with the authorization
		StepVerifier
			.create(this.authorizations.rotate(TestAuthorizations.rotated(rotated, now()), rotated.refreshTokenHash(),
					now(), GRACE))
			.expectNext(RefreshOutcome.UNKNOWN)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findByClientId(authorization.clientId()))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void rotateWhenRotatedOutTokenPresentedAtEndOfGraceThenStaleAndNothingChanged() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);
		Authorization rotated = TestAuthorizations.rotated(authorization, now());
		this.authorizations.rotate(rotated, authorization.refreshTokenHash(), now(), GRACE).block(TIMEOUT);

		this.clock.advance(GRACE);

		StepVerifier
			.create(this.authorizations.rotate(TestAuthorizations.rotated(authorization, now()),
					authorization.refreshTokenHash(), now(), GRACE))
			.expectNext(RefreshOutcome.STALE)
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.authorizations.findById(authorization.id()))
			.expectNext(rotated)
			.expectComplete()
			.verify(TIMEOUT);
		assertRevoked(rotated.accessTokenJti(), false);
	}

	@Test
	void rotateWhenRefreshTokenNeverIssuedThenUnknownAndNothingChanged() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);

		StepVerifier
			.create(this.authorizations.rotate(TestAuthorizations.rotated(authorization, now()),
					TestAuthorizations.newRefreshTokenHash(), now(), GRACE))
			.expectNext(RefreshOutcome.UNKNOWN)
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.authorizations.findById(authorization.id()))
			.expectNext(authorization)
			.expectComplete()
			.verify(TIMEOUT);
		assertRevoked(authorization.accessTokenJti(), false);
	}

	@Test
	void rotateWhenAuthorizationUnknownThenUnknown() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();

		StepVerifier
			.create(this.authorizations.rotate(TestAuthorizations.rotated(authorization, now()),
					authorization.refreshTokenHash(), now(), GRACE))
			.expectNext(RefreshOutcome.UNKNOWN)
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.authorizations.findById(authorization.id())).expectComplete().verify(TIMEOUT);
	}

	@Test
	void rotateWhenConcurrentWithSameRefreshTokenThenExactlyOneRotated() {
		int concurrency = 50;
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);
		this.clock.advance(Duration.ofMinutes(10));
		List<Authorization> candidates = IntStream.range(0, concurrency)
			.mapToObj((i) -> TestAuthorizations.rotated(authorization, now()))
			.toList();

		// @formatter:off
		List<RefreshOutcome> outcomes = Flux.range(0, concurrency)
			.flatMap((i) -> this.authorizations
				.rotate(candidates.get(i), authorization.refreshTokenHash(), now(), GRACE)
				.subscribeOn(Schedulers.parallel()), concurrency)
			.collectList()
			.block(TIMEOUT);
		// @formatter:on

		assertThat(outcomes).hasSize(concurrency);
		assertThat(Collections.frequency(outcomes, RefreshOutcome.ROTATED)).isEqualTo(1);
		assertThat(Collections.frequency(outcomes, RefreshOutcome.STALE)).isEqualTo(concurrency - 1);
		Authorization current = this.authorizations.findById(authorization.id()).block(TIMEOUT);
		assertThat(candidates).contains(current);
		assertRevoked(authorization.accessTokenJti(), true);
		assertRevoked(current.accessTokenJti(), false);
	}

	@Test
	void rotateWhenSavedOverAfterRotationThenReuseStillDetected() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);
		Authorization rotated = TestAuthorizations.rotated(authorization, now());
		this.authorizations.rotate(rotated, authorization.refreshTokenHash(), now(), GRACE).block(TIMEOUT);
		save(rotated);

		this.clock.advance(GRACE.plusSeconds(1));

		StepVerifier
			.create(this.authorizations.rotate(TestAuthorizations.rotated(authorization, now()),
					authorization.refreshTokenHash(), now(), GRACE))
			.expectNext(RefreshOutcome.REUSED)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void removeWhenSavedThenReturnedAndGoneAndAccessTokenRevoked() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);

		StepVerifier.create(this.authorizations.remove(authorization.id()))
			.expectNext(authorization)
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.authorizations.findById(authorization.id())).expectComplete().verify(TIMEOUT);
		assertRevoked(authorization.accessTokenJti(), true);
		StepVerifier
			.create(this.authorizations.rotate(TestAuthorizations.rotated(authorization, now()),
					authorization.refreshTokenHash(), now(), GRACE))
			.expectNext(RefreshOutcome.UNKNOWN)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.remove(authorization.id())).expectComplete().verify(TIMEOUT);
	}

	@Test
	void removeWhenUnknownThenEmpty() {
		StepVerifier.create(this.authorizations.remove(TestAuthorizations.newId())).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.authorizations.remove("not an id")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByClientIdWhenSeveralThenTheClientsNewestFirst() {
		Instant start = now();
		Authorization oldest = TestAuthorizations.authorization(start).build();
		Authorization middle = TestAuthorizations.authorization(start.plusSeconds(60)).build();
		Authorization newest = TestAuthorizations.authorization(start.plusSeconds(120)).build();
		Authorization otherClient = TestAuthorizations.authorization(start).clientId("client-2").build();
		save(middle, oldest, otherClient, newest);

		StepVerifier.create(this.authorizations.findByClientId("client-1"))
			.expectNext(newest, middle, oldest)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findByClientId("client-2"))
			.expectNext(otherClient)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findByClientId("client-3")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findPageWhenPagedThenLatestExpiringFirstAndCounted() {
		Instant start = now();
		String clientId = "paged-" + TestAuthorizations.newId();
		List<Authorization> saved = new java.util.ArrayList<>();
		for (int i = 0; i < 5; i++) {
			saved.add(TestAuthorizations.authorization(start.plusSeconds(i)).clientId(clientId).build());
		}
		save(saved.toArray(Authorization[]::new));
		long allBefore = this.authorizations.count(null, null).block(TIMEOUT);

		StepVerifier.create(this.authorizations.findPage(clientId, null, 0, 2))
			.expectNext(saved.get(4), saved.get(3))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findPage(clientId, null, 4, 2))
			.expectNext(saved.get(0))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.count(clientId, null)).expectNext(5L).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.authorizations.count(null, "user-1")).expectNextMatches((n) -> n >= 5).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findPage(null, null, 0, 1).count()).expectNext(1L).expectComplete().verify(TIMEOUT);

		this.authorizations.remove(saved.get(4).id()).block(TIMEOUT);

		StepVerifier.create(this.authorizations.findPage(clientId, null, 0, 1))
			.expectNext(saved.get(3))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.count(null, null)).expectNext(allBefore - 1).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByClientIdWhenRemovedOrExpiredThenNotListed() {
		Instant start = now();
		Authorization shortLived = TestAuthorizations.authorization(start)
			.refreshTokenHash(null)
			.accessTokenTtl(Duration.ofMinutes(5))
			.build();
		Authorization removed = TestAuthorizations.authorization(start.plusSeconds(1)).build();
		Authorization live = TestAuthorizations.authorization(start.plusSeconds(2)).build();
		save(shortLived, removed, live);
		this.authorizations.remove(removed.id()).block(TIMEOUT);

		this.clock.advance(Duration.ofMinutes(5));

		StepVerifier.create(this.authorizations.findByClientId("client-1"))
			.expectNext(live)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findByUserId("user-1"))
			.expectNext(live)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findByClientIdWhenRotatedThenListedOnceWithNewTokens() {
		Authorization authorization = TestAuthorizations.authorization(now()).build();
		save(authorization);
		this.clock.advance(Duration.ofMinutes(10));
		Authorization rotated = TestAuthorizations.rotated(authorization, now());
		this.authorizations.rotate(rotated, authorization.refreshTokenHash(), now(), GRACE).block(TIMEOUT);

		// the first expiry has passed: the listing must follow the rotated one
		this.clock.advance(TestAuthorizations.REFRESH_TOKEN_TTL.minusMinutes(5));

		StepVerifier.create(this.authorizations.findByClientId("client-1"))
			.expectNext(rotated)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findByUserId("user-1"))
			.expectNext(rotated)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findByUserIdWhenSeveralThenTheUsersNewestFirst() {
		Instant start = now();
		Authorization older = TestAuthorizations.authorization(start).build();
		Authorization newer = TestAuthorizations.authorization(start.plusSeconds(60)).clientId("client-2").build();
		Authorization otherUser = TestAuthorizations.authorization(start).userId("user-2").build();
		Authorization withoutUser = TestAuthorizations.clientCredentials(start).build();
		save(older, otherUser, withoutUser, newer);

		StepVerifier.create(this.authorizations.findByUserId("user-1"))
			.expectNext(newer, older)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findByUserId("user-2"))
			.expectNext(otherUser)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findByUserId("user-3")).expectComplete().verify(TIMEOUT);
	}

	/** Issue 11: a client that asks for a token per call must not fill the store. */
	@Test
	void saveKeepingAtMostWhenMoreThanKeptThenThoseExpiringFirstEndAndTheirTokensAreRevoked() {
		Authorization[] issued = new Authorization[5];
		for (int i = 0; i < issued.length; i++) {
			issued[i] = TestAuthorizations.clientCredentials(now().plusSeconds(i)).build();
		}
		Authorization otherSubject = TestAuthorizations.authorization(now()).clientId("client-1").userId("user-1").build();
		Authorization otherClient = TestAuthorizations.clientCredentials(now()).clientId("client-2").subject("client-2")
			.build();
		save(Arrays.copyOf(issued, issued.length - 1));
		save(otherSubject, otherClient);

		StepVerifier.create(this.authorizations.saveKeepingAtMost(issued[issued.length - 1], 3))
			.expectNext(2L)
			.expectComplete()
			.verify(TIMEOUT);

		for (int i = 0; i < issued.length; i++) {
			boolean kept = i >= 2;
			StepVerifier.create(this.authorizations.findById(issued[i].id())).expectNextCount(kept ? 1 : 0)
				.expectComplete().verify(TIMEOUT);
			assertRevoked(issued[i].accessTokenJti(), !kept);
		}
		StepVerifier.create(this.authorizations.findById(otherSubject.id())).expectNextCount(1).expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findById(otherClient.id())).expectNextCount(1).expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findByClientId("client-1")).expectNextCount(4).expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.count("client-1", null)).as("the ended ones are no longer listed")
			.expectNext(4L).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.authorizations.count(null, null)).expectNext(5L).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveKeepingAtMostWhenWithinTheCapOrExpiredThenNothingEnds() {
		Authorization expired = TestAuthorizations.clientCredentials(now()).build();
		save(expired);
		this.clock.advance(TestAuthorizations.ACCESS_TOKEN_TTL.plusSeconds(1));
		Authorization live = TestAuthorizations.clientCredentials(now()).build();

		StepVerifier.create(this.authorizations.saveKeepingAtMost(live, 1))
			.expectNext(0L)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.authorizations.findById(live.id())).expectNextCount(1).expectComplete().verify(TIMEOUT);
	}

	protected Instant now() {
		return this.clock.instant();
	}

	protected void save(Authorization... authorizations) {
		Flux.fromArray(authorizations).concatMap(this.authorizations::save).then().block(TIMEOUT);
	}

	private void assertRevoked(String jti, boolean revoked) {
		StepVerifier.create(this.revocations.isRevoked(jti)).expectNext(revoked).expectComplete().verify(TIMEOUT);
	}

	/** The stores under test. */
	public record Stores(AuthorizationStore authorizations, RevocationStore revocations) {
	}

}
