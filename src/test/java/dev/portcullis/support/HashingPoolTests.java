package dev.portcullis.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.security.crypto.bcrypt.BCrypt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool of password checks: its bound, and checks imitated for unknown clients and users that take as long as a
 * real one would now (issue 11, including a review finding: a burst used to leave its queue waits in the samples,
 * so unknown ids waited far longer than known ones once the burst was over).
 */
class HashingPoolTests {

	private static final String SCHEME = "test";

	// of the kind the gateway hashes on (OAuth2EndpointConfiguration): one that may block
	private final Scheduler oneThread = Schedulers.newBoundedElastic(1, 100, "hash-test");

	private final HashingPool pool = new HashingPool(this.oneThread, 1, 3);

	/**
	 * What a computation takes here: long beside a loaded machine's scheduling delays, so that the bounds below tell
	 * one computation from two however busy the machine is.
	 */
	private static final long COMPUTATION = 200;

	/** The configured hasher: bcrypt at cost 4. */
	private static final PasswordHasher FAST = new PasswordHasher(4);

	/** A hash from before, at 64 times the work: bcrypt at cost 10. */
	private static final String SLOW_HASH = new PasswordHasher(10).hash("old password");

	@AfterEach
	void dispose() {
		this.oneThread.dispose();
	}

	@Test
	void imitationDelayWhenABurstQueuedThenOnlyTheComputationsCount() {
		Flux.range(0, 4).flatMap((i) -> this.pool.run(SCHEME, () -> sleep(COMPUTATION))).blockLast(Duration.ofSeconds(10));

		// the queued ones waited one to three computations more: counted, they would make it 2 to 4 computations
		for (int i = 0; i < 20; i++) {
			assertThat(this.pool.imitationDelay(SCHEME, 0)).isGreaterThanOrEqualTo(Duration.ofMillis(COMPUTATION))
				.isLessThan(Duration.ofMillis(2 * COMPUTATION));
		}
	}

	@Test
	void imitationDelayWhenChecksAreAheadThenTheirWaitIsAdded() {
		this.pool.run(SCHEME, () -> sleep(COMPUTATION)).block(Duration.ofSeconds(10));

		Duration alone = this.pool.imitationDelay(SCHEME, 0);
		assertThat(alone).isGreaterThanOrEqualTo(Duration.ofMillis(COMPUTATION));
		// one running and two waiting on the one thread: three computations before it, then its own
		assertThat(this.pool.imitationDelay(SCHEME, 3)).isEqualTo(alone.multipliedBy(4));
	}

	@Test
	void runAndImitateWhenThePoolIsFullThenBothRefusedAtOnce() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		for (int i = 0; i < 4; i++) {
			this.pool.run(SCHEME, () -> release.await(5, TimeUnit.SECONDS)).subscribe();
		}
		assertThat(this.pool.pending()).isEqualTo(4);

		StepVerifier.create(this.pool.run(SCHEME, () -> true)).expectError(RejectedExecutionException.class).verify();
		StepVerifier.create(this.pool.imitate(SCHEME)).expectError(RejectedExecutionException.class).verify();
		StepVerifier.create(this.pool.imitate(FAST)).expectError(RejectedExecutionException.class).verify();
		assertThat(this.pool.rejected()).isEqualTo(3);
		assertThat(this.pool.mostPending()).isEqualTo(4);
		release.countDown();
	}

	/**
	 * A flood of password grants whose connections close mid-check: a check cancelled while it computes goes on (a
	 * hash cannot be stopped) and must keep its place in the bound until it ends, or every close lets one more check
	 * in than the bound says; one cancelled while it waits leaves at once, never computed.
	 */
	@Test
	void runWhenChecksAreCancelledThenTheOneComputingKeepsItsPlaceUntilItEndsAndTheWaitingOneLeaves()
			throws InterruptedException {
		CountDownLatch computing = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Disposable abandoned = this.pool.run(SCHEME, () -> {
			computing.countDown();
			return awaitAsAHash(release);
		}).subscribe();
		assertThat(computing.await(5, TimeUnit.SECONDS)).isTrue();
		Disposable waiting = this.pool.run(SCHEME, () -> true).subscribe();
		assertThat(this.pool.pending()).isEqualTo(2);

		abandoned.dispose();
		waiting.dispose();

		assertThat(this.pool.pending()).isEqualTo(1);
		release.countDown();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.pool.pending() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(this.pool.pending()).isZero();
		assertThat(this.pool.computed()).isEqualTo(1);
	}

	/**
	 * Waits as a hash computes: on through the interrupt that a cancelled check's thread gets (a hash never looks
	 * at it), the interrupt kept for the thread.
	 */
	private static boolean awaitAsAHash(CountDownLatch latch) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return latch.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Timing attack (issue 16 follow-up): users still on a slower hash than the configured one (bcrypt at cost 10
	 * beside a cost-4 hasher here) answered slower than unknown names. Once the store's slowest hash is learned, an
	 * unknown name's imitation is chosen as long as a check of it, without a hash spent.
	 */
	@Test
	void imitateWhenTheStoreHoldsASlowerHashThenItWaitsAsLongAsThatHashAndSpendsNone() {
		this.pool.seed(PasswordHasher.SCHEME, FAST.measure());

		String slowest = this.pool.padToSlowest(FAST, Arrays.asList(FAST.hash("own"), SLOW_HASH, null,
				PasswordHasher.marked(PasswordHasher.SUITECRM_SHA256, TokenHashing.sha256Hex("imported"))));

		assertThat(slowest).isEqualTo("bcrypt-10");
		Duration imitation = this.pool.imitationDelay(FAST, 0);
		assertThat(imitation).isEqualTo(this.pool.imitationDelay("bcrypt-10", 0))
			.isGreaterThan(this.pool.imitationDelay(PasswordHasher.SCHEME, 0));
		// virtual time: the delay chosen, not a clock
		StepVerifier.withVirtualTime(() -> this.pool.imitate(FAST))
			.expectSubscription()
			.expectNoEvent(imitation.minusNanos(1))
			.thenAwait(Duration.ofNanos(1))
			.expectNext(false)
			.verifyComplete();
		assertThat(this.pool.computed()).isZero();
	}

	/**
	 * And every real check of a faster kind (the hasher's own, SuiteCRM's SHA-256) answers no sooner than the slowest:
	 * one hash spent, the rest a delay. A check of the slowest kind itself is not padded.
	 */
	@Test
	void matchesWhenTheStoreHoldsASlowerHashThenFasterChecksWaitAsLongAsIt() {
		this.pool.seed(PasswordHasher.SCHEME, FAST.measure());
		this.pool.padToSlowest(FAST, List.of(SLOW_HASH));
		// the slow hash's one timing; the hasher's own scheme also learns from each real check, which on a loaded
		// machine can take longer, and the imitation draws the longer of the two
		Duration slowest = this.pool.imitationDelay(FAST.kind(SLOW_HASH), 0);

		for (String hash : List.of(FAST.hash("own"),
				PasswordHasher.marked(PasswordHasher.SUITECRM_SHA256, TokenHashing.sha256Hex("imported")))) {
			long computed = this.pool.computed();
			StepVerifier.withVirtualTime(() -> this.pool.matches(FAST, "wrong", hash))
				.expectSubscription()
				.expectNoEvent(slowest.minusNanos(1))
				.thenAwait(Duration.ofMinutes(1))
				.expectNext(false)
				.expectComplete()
				.verify(Duration.ofSeconds(10));
			assertThat(this.pool.computed()).isEqualTo(computed + 1);
		}
		// no virtual time passes: nothing but the check itself
		StepVerifier.withVirtualTime(() -> this.pool.matches(FAST, "wrong", SLOW_HASH))
			.expectNext(false)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/** With no slower hash in the store nothing changes: the hasher's own checks wait for nothing but themselves. */
	@Test
	void padToSlowestWhenNoStoredHashIsSlowerThenNothingIsPadded() {
		PasswordHasher cost8 = new PasswordHasher(8);
		this.pool.seed(PasswordHasher.SCHEME, cost8.measure());

		String slowest = this.pool.padToSlowest(cost8, Arrays.asList(cost8.hash("own"), null,
				PasswordHasher.marked(PasswordHasher.SUITECRM_SHA256, TokenHashing.sha256Hex("imported")),
				PasswordHasher.marked(PasswordHasher.SUITECRM_MD5_BCRYPT, BCrypt.hashpw("md5", BCrypt.gensalt(4)))));

		assertThat(slowest).isNull();
		assertThat(this.pool.imitationDelay(cost8, 0)).isEqualTo(this.pool.imitationDelay(PasswordHasher.SCHEME, 0));
		StepVerifier.withVirtualTime(() -> this.pool.matches(cost8, "wrong", cost8.hash("own")))
			.expectNext(false)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	private static boolean sleep(long millis) throws InterruptedException {
		Thread.sleep(millis);
		return true;
	}

}
