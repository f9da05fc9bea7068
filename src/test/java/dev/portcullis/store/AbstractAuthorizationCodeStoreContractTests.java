package dev.portcullis.store;

import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.portcullis.fixtures.TestAuthorizationCodes;
import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link AuthorizationCodeStore} must have: a code is handed out at most once, and a consumed
 * code is recognised afterwards. Time is a {@link MutableClock}; subclasses only provide a fresh, empty store on it.
 */
public abstract class AbstractAuthorizationCodeStoreContractTests {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	protected AuthorizationCodeStore store;

	/** A new store that holds no code and reads time from {@code clock}. */
	protected abstract AuthorizationCodeStore createStore(Clock clock);

	@BeforeEach
	void setUpStore() {
		this.store = createStore(this.clock);
	}

	@Test
	void findPendingWhenIssuedThenListedUntilConsumed() {
		String first = TestAuthorizationCodes.newCodeHash();
		String second = TestAuthorizationCodes.newCodeHash();
		AuthorizationCode earlier = TestAuthorizationCodes.authorizationCode(now()).build();
		AuthorizationCode later = TestAuthorizationCodes.authorizationCode(now().plusSeconds(30)).build();
		long before = this.store.countPending().block(TIMEOUT);
		this.store.issue(first, earlier).block(TIMEOUT);
		this.store.issue(second, later).block(TIMEOUT);

		StepVerifier.create(this.store.countPending()).expectNext(before + 2).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findPending(0, 1000).filter((pending) -> pending.codeHash().equals(first)
				|| pending.codeHash().equals(second)).map(AuthorizationCodeStore.PendingCode::codeHash))
			.expectNext(second, first)
			.expectComplete()
			.verify(TIMEOUT);

		this.store.consume(first).block(TIMEOUT);

		StepVerifier.create(this.store.countPending()).expectNext(before + 1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findPending(0, 1000).map(AuthorizationCodeStore.PendingCode::codeHash).collectList())
			.assertNext((hashes) -> assertThat(hashes).contains(second).doesNotContain(first))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void consumeWhenIssuedThenHandedOut() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		AuthorizationCode code = TestAuthorizationCodes.authorizationCode(now()).build();

		StepVerifier.create(this.store.issue(codeHash, code)).expectComplete().verify(TIMEOUT);

		StepVerifier.create(this.store.consume(codeHash)).expectNext(code).expectComplete().verify(TIMEOUT);
	}

	@Test
	void consumeWhenNoRedirectUriNorPkceThenAbsentValuesKept() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		AuthorizationCode code = TestAuthorizationCodes.authorizationCode(now())
			.redirectUri(null)
			.withoutPkce()
			.build();
		issue(codeHash, code);

		StepVerifier.create(this.store.consume(codeHash)).assertNext((consumed) -> {
			assertThat(consumed).isEqualTo(code);
			assertThat(consumed.redirectUri()).isNull();
			assertThat(consumed.codeChallenge()).isNull();
			assertThat(consumed.codeChallengeMethod()).isNull();
		}).expectComplete().verify(TIMEOUT);
	}

	@Test
	void consumeWhenConsumedAlreadyThenEmpty() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());
		this.store.consume(codeHash).block(TIMEOUT);

		StepVerifier.create(this.store.consume(codeHash)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void consumeWhenConcurrentWithSameCodeThenExactlyOneGetsIt() {
		int concurrency = 50;
		String codeHash = TestAuthorizationCodes.newCodeHash();
		AuthorizationCode code = TestAuthorizationCodes.authorizationCode(now()).build();
		issue(codeHash, code);

		// @formatter:off
		List<AuthorizationCode> handedOut = Flux.range(0, concurrency)
			.flatMap((i) -> this.store.consume(codeHash).subscribeOn(Schedulers.parallel()), concurrency)
			.collectList()
			.block(TIMEOUT);
		// @formatter:on

		assertThat(handedOut).containsExactly(code);
		assertConsumed(codeHash, "");
	}

	@Test
	void consumeWhenNeverIssuedThenEmptyAndNotConsumed() {
		String codeHash = TestAuthorizationCodes.newCodeHash();

		StepVerifier.create(this.store.consume(codeHash)).expectComplete().verify(TIMEOUT);

		assertNotConsumed(codeHash);
	}

	@Test
	void consumeWhenOtherCodeConsumedThenStillHandedOut() {
		String consumedHash = TestAuthorizationCodes.newCodeHash();
		String otherHash = TestAuthorizationCodes.newCodeHash();
		AuthorizationCode other = TestAuthorizationCodes.authorizationCode(now()).clientId("client-2").build();
		issue(consumedHash, TestAuthorizationCodes.authorizationCode(now()).build());
		issue(otherHash, other);

		this.store.consume(consumedHash).block(TIMEOUT);

		assertNotConsumed(otherHash);
		StepVerifier.create(this.store.consume(otherHash)).expectNext(other).expectComplete().verify(TIMEOUT);
	}

	@Test
	void consumeWhenJustBeforeExpiryThenHandedOut() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		AuthorizationCode code = TestAuthorizationCodes.authorizationCode(now()).build();
		issue(codeHash, code);

		this.clock.advance(TestAuthorizationCodes.CODE_TTL.minusSeconds(1));

		StepVerifier.create(this.store.consume(codeHash)).expectNext(code).expectComplete().verify(TIMEOUT);
	}

	@Test
	void consumeWhenExpiredThenEmpty() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());

		this.clock.advance(TestAuthorizationCodes.CODE_TTL);

		// whether the expired code then counts as consumed is left open: Redis may not have evicted it yet
		StepVerifier.create(this.store.consume(codeHash)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void issueWhenExpiredAlreadyThenNeverHandedOut() {
		String codeHash = TestAuthorizationCodes.newCodeHash();

		StepVerifier
			.create(this.store.issue(codeHash,
					TestAuthorizationCodes.authorizationCode(now()).ttl(Duration.ZERO).build()))
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.store.consume(codeHash)).expectComplete().verify(TIMEOUT);
		assertNotConsumed(codeHash);
	}

	@Test
	void findConsumedWhenIssuedButNotConsumedThenEmpty() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());

		assertNotConsumed(codeHash);
	}

	@Test
	void findConsumedWhenConsumedThenEmptyString() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());

		this.store.consume(codeHash).block(TIMEOUT);

		assertConsumed(codeHash, "");
	}

	@Test
	void findConsumedWhenConsumedAndCodeLifetimeOverThenStillEmptyString() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());
		this.store.consume(codeHash).block(TIMEOUT);

		this.clock.advance(TestAuthorizationCodes.CODE_TTL.plusMinutes(10));

		assertConsumed(codeHash, "");
	}

	@Test
	void findConsumedWhenExchangeRecordedThenAuthorizationId() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		String authorizationId = TestAuthorizations.newId();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());
		this.store.consume(codeHash).block(TIMEOUT);

		StepVerifier
			.create(this.store.recordExchange(codeHash, authorizationId,
					now().plus(TestAuthorizations.REFRESH_TOKEN_TTL)))
			.expectComplete()
			.verify(TIMEOUT);

		assertConsumed(codeHash, authorizationId);
		StepVerifier.create(this.store.consume(codeHash)).expectComplete().verify(TIMEOUT);
	}

	@Test
	void recordExchangeWhenUntilPassedThenConsumedWithoutAuthorization() {
		String codeHash = TestAuthorizationCodes.newCodeHash();
		issue(codeHash, TestAuthorizationCodes.authorizationCode(now()).build());
		this.store.consume(codeHash).block(TIMEOUT);

		StepVerifier.create(this.store.recordExchange(codeHash, TestAuthorizations.newId(), now()))
			.expectComplete()
			.verify(TIMEOUT);

		assertConsumed(codeHash, "");
	}

	protected Instant now() {
		return this.clock.instant();
	}

	protected void issue(String codeHash, AuthorizationCode code) {
		this.store.issue(codeHash, code).block(TIMEOUT);
	}

	private void assertConsumed(String codeHash, String authorizationId) {
		StepVerifier.create(this.store.findConsumed(codeHash))
			.expectNext(authorizationId)
			.expectComplete()
			.verify(TIMEOUT);
	}

	private void assertNotConsumed(String codeHash) {
		StepVerifier.create(this.store.findConsumed(codeHash)).expectComplete().verify(TIMEOUT);
	}

}
