package dev.portcullis.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

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
		assertThat(this.pool.rejected()).isEqualTo(2);
		assertThat(this.pool.mostPending()).isEqualTo(4);
		release.countDown();
	}

	private static boolean sleep(long millis) throws InterruptedException {
		Thread.sleep(millis);
		return true;
	}

}
