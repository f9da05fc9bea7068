package dev.portcullis.store;

import dev.portcullis.oauth2.store.ConsentStore;
import java.time.Duration;
import java.time.Instant;

import dev.portcullis.fixtures.TestConsents;
import dev.portcullis.oauth2.Consent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link ConsentStore} must have. Subclasses only provide a fresh, empty store.
 */
public abstract class AbstractConsentStoreContractTests {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	protected static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	protected ConsentStore store;

	/** A new store that holds no consent. */
	protected abstract ConsentStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = createStore();
	}

	@Test
	void findWhenSavedThenFound() {
		Consent consent = TestConsents.consent(NOW).scopes("read", "write").build();

		StepVerifier.create(this.store.save(consent)).expectComplete().verify(TIMEOUT);

		StepVerifier.create(this.store.find(consent.clientId(), consent.userId()))
			.expectNext(consent)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findWhenUnknownThenEmpty() {
		save(TestConsents.consent(NOW).build());

		StepVerifier.create(this.store.find("public-client-1", "user-2")).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.find("client-2", "user-1")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenSameClientAndUserThenReplaced() {
		Consent consent = TestConsents.consent(NOW).build();
		Consent widened = TestConsents.consent(NOW.plusSeconds(60)).scopes("read", "write").build();
		save(consent);

		save(widened);

		StepVerifier.create(this.store.find(consent.clientId(), consent.userId()))
			.expectNext(widened)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.store.findByUserId(consent.userId()))
			.expectNext(widened)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findByUserIdWhenSeveralThenTheUsersEachOnce() {
		Consent first = TestConsents.consent(NOW).build();
		Consent second = TestConsents.consent(NOW).clientId("client-2").scopes("write").build();
		Consent otherUser = TestConsents.consent(NOW).userId("user-2").build();
		save(first);
		save(otherUser);
		save(second);

		StepVerifier.create(this.store.findByUserId("user-1").collectList())
			.assertNext((consents) -> assertThat(consents).containsExactlyInAnyOrder(first, second))
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.store.findByUserId("user-2")).expectNext(otherUser).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByUserIdWhenNoneThenEmpty() {
		save(TestConsents.consent(NOW).build());

		StepVerifier.create(this.store.findByUserId("user-2")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void revokeWhenSavedThenTrueAndGoneAndOtherClientsKept() {
		Consent revoked = TestConsents.consent(NOW).build();
		Consent kept = TestConsents.consent(NOW).clientId("client-2").build();
		save(revoked);
		save(kept);

		StepVerifier.create(this.store.revoke(revoked.clientId(), revoked.userId()))
			.expectNext(true)
			.expectComplete()
			.verify(TIMEOUT);

		StepVerifier.create(this.store.find(revoked.clientId(), revoked.userId())).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findByUserId("user-1")).expectNext(kept).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.revoke(revoked.clientId(), revoked.userId()))
			.expectNext(false)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void revokeWhenLastConsentOfUserThenNoneListed() {
		Consent consent = TestConsents.consent(NOW).build();
		save(consent);

		this.store.revoke(consent.clientId(), consent.userId()).block(TIMEOUT);

		StepVerifier.create(this.store.findByUserId(consent.userId())).expectComplete().verify(TIMEOUT);
	}

	@Test
	void revokeWhenUnknownThenFalse() {
		save(TestConsents.consent(NOW).build());

		StepVerifier.create(this.store.revoke("public-client-1", "user-2"))
			.expectNext(false)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.store.revoke("client-2", "user-1")).expectNext(false).expectComplete().verify(TIMEOUT);
	}

	protected void save(Consent consent) {
		this.store.save(consent).block(TIMEOUT);
	}

}
