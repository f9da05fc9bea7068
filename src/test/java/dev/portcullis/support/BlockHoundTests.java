package dev.portcullis.support;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BlockHound is installed for the whole suite (blockhound-junit-platform, pom.xml), so a blocking call on a thread
 * meant not to block fails the test that causes it.
 */
class BlockHoundTests {

	@Test
	void sleepWhenOnAParallelThreadThenBlockingOperationError() {
		Mono<Void> sleeping = Mono.<Void>fromRunnable(BlockHoundTests::sleep).subscribeOn(Schedulers.parallel());

		assertThatThrownBy(() -> sleeping.block(Duration.ofSeconds(10)))
			.hasCauseInstanceOf(BlockingOperationError.class)
			.hasMessageContaining("java.lang.Thread.sleep");
	}

	@Test
	void sleepWhenOnBoundedElasticThenAllowed() {
		Mono<String> sleeping = Mono.fromCallable(() -> {
			sleep();
			return "slept";
		}).subscribeOn(Schedulers.boundedElastic());

		assertThat(sleeping.block(Duration.ofSeconds(10))).isEqualTo("slept");
	}

	private static void sleep() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
