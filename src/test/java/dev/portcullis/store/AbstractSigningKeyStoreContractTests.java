package dev.portcullis.store;

import dev.portcullis.oauth2.store.SigningKeyStore;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link SigningKeyStore} must have. Subclasses only provide a fresh, empty store.
 */
public abstract class AbstractSigningKeyStoreContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String FIRST = "{\"kty\":\"RSA\",\"kid\":\"first\"}";

	private static final String SECOND = "{\"kty\":\"RSA\",\"kid\":\"second\"}";

	private SigningKeyStore store;

	/** A new store that holds no key. */
	protected abstract SigningKeyStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = createStore();
	}

	@Test
	void findOrCreateWhenNoKeyThenCandidateStored() {
		StepVerifier.create(this.store.findOrCreate(FIRST)).expectNext(FIRST).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findOrCreateWhenKeyStoredThenStoredKeyWins() {
		this.store.findOrCreate(FIRST).block(TIMEOUT);

		StepVerifier.create(this.store.findOrCreate(SECOND)).expectNext(FIRST).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findOrCreateWhenReplicasStartTogetherThenAllAgree() {
		int replicas = 20;

		// @formatter:off
		List<String> keys = Flux.range(0, replicas)
			.flatMap((i) -> this.store.findOrCreate("{\"kid\":\"" + i + "\"}").subscribeOn(Schedulers.parallel()),
					replicas)
			.collectList()
			.block(TIMEOUT);
		// @formatter:on

		assertThat(keys).hasSize(replicas);
		assertThat(keys).containsOnly(keys.get(0));
	}

}
