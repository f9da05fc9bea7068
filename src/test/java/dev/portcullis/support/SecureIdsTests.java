package dev.portcullis.support;

import java.security.DrbgParameters;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SecureIds}: the generator's strength, and that drawing identifiers reads no file, which
 * BlockHound (active in every test, see {@link PortcullisBlockHoundIntegration}) would refuse on a parallel thread.
 */
class SecureIdsTests {

	@Test
	void newRandomWhenCreatedThenHashDrbgWithSha256At256Bits() {
		SecureRandom random = SecureIds.newRandom();

		assertThat(random.getAlgorithm()).isEqualTo("DRBG");
		assertThat(random.getParameters()).isInstanceOfSatisfying(DrbgParameters.Instantiation.class,
				(parameters) -> assertThat(parameters.getStrength()).isEqualTo(256));
		// the mechanism and its hash, as the JDK names them once instantiated
		random.nextBytes(new byte[1]);
		assertThat(random.toString()).contains("Hash_DRBG,SHA-256,256");
	}

	@Test
	void randomHexWhenOnAParallelThreadAfterTheBufferOfNativePrngExpiredThenNoBlockingRead() throws Exception {
		// NativePRNG, the platform default, refills its buffer from /dev/urandom once it is 100 ms old: the second
		// draw would be a file read on a non-blocking thread, which BlockHound turns into an error
		assertThat(hexOnParallel()).hasSize(64);
		Thread.sleep(150);
		assertThat(hexOnParallel()).hasSize(64);
	}

	@Test
	void randomHexWhenDrawnManyTimesThenLowerHexOfTheLengthAskedAndNoRepeats() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			String id = SecureIds.randomHex(16);
			assertThat(SecureIds.isLowerHex(id, 32)).isTrue();
			seen.add(id);
		}
		assertThat(seen).hasSize(10_000);
	}

	@Test
	void randomUuidWhenDrawnThenVersion4OfTheIetfVariantAndNoRepeats() {
		Set<UUID> seen = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			UUID id = SecureIds.randomUuid();
			assertThat(id.version()).isEqualTo(4);
			assertThat(id.variant()).isEqualTo(2);
			seen.add(id);
		}
		assertThat(seen).hasSize(10_000);
	}

	private static String hexOnParallel() {
		return Mono.fromCallable(() -> SecureIds.randomHex(32))
			.subscribeOn(Schedulers.parallel())
			.block(Duration.ofSeconds(10));
	}

}
