package dev.portcullis.store;

import dev.portcullis.oauth2.store.ClientStore;
import java.time.Duration;

import dev.portcullis.fixtures.TestRegisteredClients;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link ClientStore} must have. Subclasses only provide a fresh, empty store.
 */
public abstract class AbstractClientStoreContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private ClientStore store;

	/** A new store that holds no client. */
	protected abstract ClientStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = createStore();
	}

	@Test
	void findByIdWhenSavedThenFound() {
		RegisteredClient client = TestRegisteredClients.registeredClient().build();

		StepVerifier.create(this.store.save(client)).expectNext(client).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findById(client.id())).expectNext(client).expectComplete().verify(TIMEOUT);
	}

	/** Issue 16: what the token endpoint authenticates against sees every change made through the same store. */
	@Test
	void findRecentByIdWhenSavedRotatedOrDeletedThroughTheStoreThenSeenAtOnce() {
		RegisteredClient client = TestRegisteredClients.registeredClient().build();
		RegisteredClient rotated = client.withSecretHash("{bcrypt-sha256}rotated");
		StepVerifier.create(this.store.findRecentById(client.id())).expectComplete().verify(TIMEOUT);

		this.store.save(client).block(TIMEOUT);
		StepVerifier.create(this.store.findRecentById(client.id())).expectNext(client).expectComplete().verify(TIMEOUT);

		this.store.replace(client, rotated).block(TIMEOUT);
		StepVerifier.create(this.store.findRecentById(client.id())).expectNext(rotated).expectComplete().verify(TIMEOUT);

		this.store.save(client).block(TIMEOUT);
		StepVerifier.create(this.store.findRecentById(client.id())).expectNext(client).expectComplete().verify(TIMEOUT);

		this.store.deleteById(client.id()).block(TIMEOUT);
		StepVerifier.create(this.store.findRecentById(client.id())).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByIdWhenPublicClientThenAbsentValuesKept() {
		RegisteredClient client = TestRegisteredClients.publicClient().build();

		this.store.save(client).block(TIMEOUT);

		StepVerifier.create(this.store.findById(client.id())).assertNext((found) -> {
			assertThat(found).isEqualTo(client);
			assertThat(found.secretHash()).isNull();
			assertThat(found.tokenSettings().accessTokenTtl()).isNull();
		}).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByIdWhenRefreshTokensOffAndRefreshTokenListedThenBothKept() {
		RegisteredClient off = TestRegisteredClients.registeredClient().refreshTokens(false).build();
		RegisteredClient listed = TestRegisteredClients.registeredClient()
			.id("client-2")
			.grantTypes(GrantType.PASSWORD, GrantType.REFRESH_TOKEN)
			.build();

		this.store.save(off).then(this.store.save(listed)).block(TIMEOUT);

		StepVerifier.create(this.store.findById(off.id()))
			.assertNext((found) -> assertThat(found.tokenSettings().refreshTokens()).isFalse())
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.store.findById(listed.id())).assertNext((found) -> {
			assertThat(found.grantTypes()).containsExactlyInAnyOrder(GrantType.PASSWORD, GrantType.REFRESH_TOKEN);
			assertThat(found.tokenSettings().refreshTokens()).isTrue();
		}).expectComplete().verify(TIMEOUT);
	}

	/** Issue 15: a secret rehashed at sign-in cannot undo an administrator's edit, rotation or deletion meanwhile. */
	@Test
	void replaceWhenTheClientChangedOrWentSinceReadThenNothingWritten() {
		RegisteredClient read = TestRegisteredClients.registeredClient().build();
		RegisteredClient edited = TestRegisteredClients.registeredClient().name("Edited").scopes("read").build();
		RegisteredClient rehashed = read.withSecretHash("{bcrypt-sha256}new");
		this.store.save(read).then(this.store.save(edited)).block(TIMEOUT);

		StepVerifier.create(this.store.replace(read, rehashed)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findById(read.id())).expectNext(edited).expectComplete().verify(TIMEOUT);
		RegisteredClient editedAndRehashed = edited.withSecretHash("{bcrypt-sha256}new");
		StepVerifier.create(this.store.replace(edited, editedAndRehashed))
			.expectNext(editedAndRehashed)
			.expectComplete()
			.verify(TIMEOUT);
		StepVerifier.create(this.store.findById(read.id())).expectNext(editedAndRehashed).expectComplete().verify(TIMEOUT);

		this.store.deleteById(read.id()).block(TIMEOUT);
		StepVerifier.create(this.store.replace(editedAndRehashed, edited)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findById(read.id())).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findAll()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findByIdWhenIntrospectionAllowedThenKept() {
		RegisteredClient resourceServer = TestRegisteredClients.registeredClient().introspection(true).build();

		this.store.save(resourceServer).block(TIMEOUT);

		StepVerifier.create(this.store.findById(resourceServer.id()))
			.assertNext((found) -> assertThat(found.tokenSettings().introspection()).isTrue())
			.expectComplete()
			.verify(TIMEOUT);
	}

	/** Issue 16. */
	@Test
	void findByIdWhenSigningAlgorithmEdDsaThenKept() {
		RegisteredClient client = TestRegisteredClients.registeredClient().signingAlgorithm(SigningAlgorithm.EdDSA).build();

		this.store.save(client).block(TIMEOUT);

		StepVerifier.create(this.store.findById(client.id()))
			.assertNext((found) -> assertThat(found.tokenSettings().signingAlgorithm()).isEqualTo(SigningAlgorithm.EdDSA))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findByIdWhenUnknownThenEmpty() {
		StepVerifier.create(this.store.findById("unknown")).expectComplete().verify(TIMEOUT);
	}

	@Test
	void saveWhenSameIdThenReplaced() {
		RegisteredClient client = TestRegisteredClients.registeredClient().build();
		RegisteredClient renamed = TestRegisteredClients.registeredClient().name("Renamed").scopes("read").build();

		this.store.save(client).block(TIMEOUT);
		this.store.save(renamed).block(TIMEOUT);

		StepVerifier.create(this.store.findById(client.id())).expectNext(renamed).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findAll()).expectNext(renamed).expectComplete().verify(TIMEOUT);
	}

	@Test
	void findAllWhenSeveralSavedThenEachOnce() {
		RegisteredClient first = TestRegisteredClients.registeredClient().build();
		RegisteredClient second = TestRegisteredClients.registeredClient().id("client-2").build();
		RegisteredClient third = TestRegisteredClients.publicClient().build();

		this.store.save(first).then(this.store.save(second)).then(this.store.save(third)).block(TIMEOUT);

		StepVerifier.create(this.store.findAll().collectList())
			.assertNext((clients) -> assertThat(clients).containsExactlyInAnyOrder(first, second, third))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void findAllWhenNoneThenEmpty() {
		StepVerifier.create(this.store.findAll()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void deleteByIdWhenSavedThenTrueAndGone() {
		RegisteredClient client = TestRegisteredClients.registeredClient().build();
		RegisteredClient other = TestRegisteredClients.registeredClient().id("client-2").build();
		this.store.save(client).then(this.store.save(other)).block(TIMEOUT);

		StepVerifier.create(this.store.deleteById(client.id())).expectNext(true).expectComplete().verify(TIMEOUT);

		StepVerifier.create(this.store.findById(client.id())).expectComplete().verify(TIMEOUT);
		StepVerifier.create(this.store.findAll()).expectNext(other).expectComplete().verify(TIMEOUT);
	}

	@Test
	void deleteByIdWhenUnknownThenFalse() {
		StepVerifier.create(this.store.deleteById("unknown")).expectNext(false).expectComplete().verify(TIMEOUT);
	}

}
