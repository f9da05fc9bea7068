package dev.portcullis.oauth2.guard;

import java.time.Duration;

import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.store.inmemory.InMemoryAttemptStore;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guessing limits of issue 11 on their own: the hard limit per identity and address, and the soft delay per
 * identity alone, which never refuses.
 */
class GuessingGuardTests {

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final GuessingGuard guard = new GuessingGuard(new InMemoryAttemptStore(), UnitTestFixtures.LIMITS,
			this.clock);

	@Test
	void identityDelayWhenFailuresFromAnywhereThenDoublesFrom100MillisUpToTheCap() {
		GuessingLimits limits = UnitTestFixtures.LIMITS;

		assertThat(limits.identityDelay(9)).isZero();
		assertThat(limits.identityDelay(10)).isEqualTo(Duration.ofMillis(100));
		assertThat(limits.identityDelay(11)).isEqualTo(Duration.ofMillis(200));
		assertThat(limits.identityDelay(14)).isEqualTo(Duration.ofMillis(1600));
		assertThat(limits.identityDelay(15)).isEqualTo(Duration.ofSeconds(2));
		assertThat(limits.identityDelay(1000)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void checkWhenAnIdentityFailedFromManyAddressesThenTheRealOwnerWaitsButIsNeverRefused() {
		for (int i = 0; i < 12; i++) {
			// one failure each from twelve addresses: no pair and no address reaches its limit
			assertThat(check("user:alice", "10.0.0." + i, false).block(Duration.ofSeconds(10))).isFalse();
		}

		StepVerifier.withVirtualTime(() -> check("user:alice", "192.0.2.1", true))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(399))
			.thenAwait(Duration.ofMillis(1))
			.expectNext(true)
			.verifyComplete();
	}

	@Test
	void checkWhenFiveAttemptsFromOneAddressFailedThenTheNextIsRefusedWithoutChecking() {
		for (int i = 0; i < 5; i++) {
			check("client:crm", "10.0.0.1", false).block(Duration.ofSeconds(10));
		}
		boolean[] checked = { false };

		StepVerifier.create(this.guard.check("client:crm", () -> {
			checked[0] = true;
			return Mono.just(true);
		}).contextWrite((context) -> ClientAddress.put(context, "10.0.0.1")))
			.expectErrorSatisfies((ex) -> assertThat(((OAuth2Exception) ex).getRetryAfter()).isEqualTo(Duration.ofSeconds(1)))
			.verify();
		assertThat(checked[0]).isFalse();
	}

	private Mono<Boolean> check(String identity, String address, boolean matches) {
		return this.guard.check(identity, () -> Mono.just(matches))
			.contextWrite((context) -> ClientAddress.put(context, address));
	}

}
