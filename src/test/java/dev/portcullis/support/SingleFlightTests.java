package dev.portcullis.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One run shared by the callers of a key while it runs, freed when it ends, and cancelled once none of its callers
 * is left (a password check for clients that all disconnected must not go on to spend a hash).
 */
class SingleFlightTests {

	private final SingleFlight<Boolean> flight = new SingleFlight<>();

	@Test
	void runWhenTwoCallersAskForOneKeyThenTheWorkRunsOnceAndBothGetItsOutcome() {
		Sinks.One<Boolean> outcome = Sinks.one();
		AtomicInteger started = new AtomicInteger();
		Mono<Boolean> first = this.flight.run("key", () -> outcome.asMono().doOnSubscribe((s) -> started.incrementAndGet()));
		Mono<Boolean> second = this.flight.run("key", () -> Mono.error(new AssertionError("a second run")));

		StepVerifier.create(Mono.zip(first, second))
			.then(() -> outcome.tryEmitValue(true))
			.assertNext((both) -> assertThat(both.toList()).containsExactly(true, true))
			.verifyComplete();
		assertThat(started).hasValue(1);
	}

	@Test
	void runWhenTheRunEndedThenTheNextCallerStartsANewOne() {
		AtomicInteger runs = new AtomicInteger();

		StepVerifier.create(this.flight.run("key", () -> Mono.fromCallable(() -> runs.incrementAndGet() > 0)))
			.expectNext(true)
			.verifyComplete();
		StepVerifier.create(this.flight.run("key", () -> Mono.fromCallable(() -> runs.incrementAndGet() > 0)))
			.expectNext(true)
			.verifyComplete();
		assertThat(runs).hasValue(2);
	}

	@Test
	void runWhenItsOnlyCallerCancelsThenTheWorkIsCancelledAndTheKeyFreed() {
		PublisherProbe<Boolean> work = PublisherProbe.of(Mono.never());

		Disposable caller = this.flight.run("key", work::mono).subscribe();
		caller.dispose();

		work.assertWasCancelled();
		PublisherProbe<Boolean> next = PublisherProbe.of(Mono.just(false));
		StepVerifier.create(this.flight.run("key", next::mono)).expectNext(false).verifyComplete();
		next.assertWasSubscribed();
	}

	@Test
	void runWhenOneOfTwoCallersCancelsThenTheWorkGoesOnForTheOther() {
		Sinks.One<Boolean> outcome = Sinks.one();
		PublisherProbe<Boolean> work = PublisherProbe.of(outcome.asMono());
		Disposable leaving = this.flight.run("key", work::mono).subscribe();
		Mono<Boolean> staying = this.flight.run("key", () -> Mono.error(new AssertionError("a second run")));

		StepVerifier.create(staying)
			.then(leaving::dispose)
			.then(() -> outcome.tryEmitValue(true))
			.expectNext(true)
			.verifyComplete();
		work.assertWasNotCancelled();
	}

	@Test
	void runWhenTheWorkFailsThenEveryCallerGetsTheErrorAndTheKeyIsFreed() {
		Sinks.One<Boolean> outcome = Sinks.one();
		Mono<Boolean> first = this.flight.run("key", outcome::asMono);
		Mono<Boolean> second = this.flight.run("key", () -> Mono.error(new AssertionError("a second run")));

		StepVerifier.create(Mono.zip(first.materialize(), second.materialize()))
			.then(() -> outcome.tryEmitError(new IllegalStateException("store down")))
			.assertNext((both) -> assertThat(both.toList()).allSatisfy((signal) -> assertThat(
					((reactor.core.publisher.Signal<?>) signal).getThrowable()).hasMessage("store down")))
			.verifyComplete();
		StepVerifier.create(this.flight.run("key", () -> Mono.just(true))).expectNext(true).verifyComplete();
	}

	/**
	 * A caller on another thread can find a run in the map as its last caller cancels it, and subscribe just after
	 * (forced here from the work's cancel hook, which runs inside that window). The work must not start again
	 * outside the map: that second run went on beside the next one, whose key the cancelled run then freed.
	 */
	@Test
	void runWhenACallerJoinsARunJustCancelledThenItGetsARunOfItsOwnThatOthersJoin() {
		AtomicInteger firstWorkSubscriptions = new AtomicInteger();
		Sinks.One<Boolean> secondOutcome = Sinks.one();
		PublisherProbe<Boolean> secondWork = PublisherProbe.of(secondOutcome.asMono());
		List<Boolean> answers = new CopyOnWriteArrayList<>();
		Mono<Boolean> firstWork = Mono.<Boolean>never()
			.doOnSubscribe((subscription) -> firstWorkSubscriptions.incrementAndGet())
			.doOnCancel(() -> this.flight.run("key", secondWork::mono).subscribe(answers::add));

		this.flight.run("key", () -> firstWork).subscribe().dispose();
		this.flight.run("key", () -> Mono.error(new AssertionError("a third run"))).subscribe(answers::add);
		secondOutcome.tryEmitValue(true);

		assertThat(firstWorkSubscriptions).hasValue(1);
		secondWork.assertWasSubscribed();
		assertThat(answers).containsExactly(true, true);
		StepVerifier.create(this.flight.run("key", () -> Mono.just(false))).expectNext(false).verifyComplete();
	}

	/**
	 * A caller cancelled while it is being subscribed (a client gone just as its user lookup answered, in the
	 * authenticator's flatMap) is counted off like any other: under Reactor's refCount it never was, and the run went
	 * on for nobody, with its key taken until the work ended (for a never-ending work, every later caller hung).
	 */
	@Test
	void runWhenTheOnlyCallerCancelsAsItIsSubscribedThenTheWorkIsCancelledAndTheKeyFreed() {
		PublisherProbe<Boolean> work = PublisherProbe.of(Mono.never());

		this.flight.run("key", work::mono).subscribe(new BaseSubscriber<>() {
			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				cancel();
			}
		});

		work.assertWasCancelled();
		StepVerifier.create(this.flight.run("key", () -> Mono.just(false)))
			.expectNext(false)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	/**
	 * A caller who asks on another thread just as the only caller of the key's run cancels gets an outcome, the
	 * shared one or its own run's, never an error: under Reactor's refCount, the cancel could fail it with
	 * {@code CancellationException} (a 500 at the token endpoint) before it was counted in. The two are raced many
	 * times with the cancel at varying moments; on the old code about one in four hundred failed.
	 */
	@Test
	void runWhenACallerAsksAsTheOnlyOtherCallerCancelsThenItGetsAnOutcomeNeverAnError() throws Exception {
		ExecutorService other = Executors.newSingleThreadExecutor();
		try {
			for (int i = 0; i < 20_000; i++) {
				SingleFlight<Boolean> flight = new SingleFlight<>();
				Sinks.One<Boolean> shared = Sinks.one();
				Disposable leaving = flight.run("key", shared::asMono).subscribe();
				CompletableFuture<Boolean> answer = new CompletableFuture<>();
				AtomicBoolean ready = new AtomicBoolean();
				AtomicBoolean go = new AtomicBoolean();
				other.execute(() -> {
					ready.set(true);
					while (!go.get()) {
						Thread.onSpinWait();
					}
					flight.run("key", () -> Mono.just(true)).subscribe(answer::complete, answer::completeExceptionally);
				});
				while (!ready.get()) {
					Thread.onSpinWait();
				}
				go.set(true);
				for (int spin = i % 64; spin > 0; spin--) {
					Thread.onSpinWait();
				}
				leaving.dispose();
				// for the caller who joined the shared run before the cancel
				shared.tryEmitValue(true);
				assertThat(answer.get(5, TimeUnit.SECONDS)).as("iteration %d", i).isTrue();
			}
		}
		finally {
			other.shutdownNow();
		}
	}

	/**
	 * Reactor throws an error it deems fatal (a stack overflow, a missing class) out of the subscription instead of
	 * signalling it: the run must end with it all the same, or the key stays taken and every later caller waits
	 * forever (found by review).
	 */
	@Test
	void runWhenStartingTheWorkThrowsAFatalErrorThenTheKeyIsFreed() {
		assertThatThrownBy(() -> this.flight.run("key", () -> {
			throw new StackOverflowError("in the work's assembly");
		}).subscribe()).isInstanceOf(StackOverflowError.class);

		StepVerifier.create(this.flight.run("key", () -> Mono.just(false)))
			.expectNext(false)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

}
