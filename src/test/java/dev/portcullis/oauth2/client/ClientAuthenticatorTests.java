package dev.portcullis.oauth2.client;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.support.MutableClock;
import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static dev.portcullis.fixtures.UnitTestFixtures.HASHER;
import static dev.portcullis.fixtures.UnitTestFixtures.client;
import static dev.portcullis.fixtures.UnitTestFixtures.oauth2Error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClientAuthenticator}: every failure is league's {@code invalid_client}, 401.
 */
class ClientAuthenticatorTests {

	private final InMemoryClientStore clients = new InMemoryClientStore();

	private final VerifiedSecretCache verifiedSecrets = new VerifiedSecretCache(Duration.ofMinutes(5),
			new MutableClock(UnitTestFixtures.START));

	private final ClientAuthenticator authenticator = new ClientAuthenticator(this.clients, HASHER,
			this.verifiedSecrets, Schedulers.immediate());

	@Test
	void authenticateWhenRightSecretThenClient() {
		RegisteredClient client = save(client().build());

		StepVerifier.create(authenticate("client-1", "secret-1", GrantType.CLIENT_CREDENTIALS))
			.expectNext(client)
			.verifyComplete();
	}

	@Test
	void authenticateWhenUnknownClientThenInvalidClient401() {
		save(client().build());

		StepVerifier.create(authenticate("client-2", "secret-1", GrantType.CLIENT_CREDENTIALS))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
	}

	@Test
	void authenticateWhenUnknownClientWithoutSecretThenInvalidClient() {
		StepVerifier.create(authenticate("client-2", null, GrantType.PASSWORD))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
	}

	@Test
	void authenticateWhenWrongSecretThenInvalidClient() {
		save(client().build());

		StepVerifier.create(authenticate("client-1", "secret-2", GrantType.CLIENT_CREDENTIALS))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
		assertThat(this.verifiedSecrets.isVerified(client().build(), "secret-2")).isFalse();
	}

	@Test
	void authenticateWhenConfidentialClientSendsNoSecretThenInvalidClient() {
		save(client().build());

		StepVerifier.create(authenticate("client-1", null, GrantType.PASSWORD))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
	}

	@Test
	void authenticateWhenConfidentialClientSendsEmptySecretThenInvalidClient() {
		save(client().build());

		StepVerifier.create(authenticate("client-1", "", GrantType.PASSWORD))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
	}

	@Test
	void authenticateWhenConfidentialClientHasNoSecretHashThenInvalidClient() {
		save(client().secretHash(null).build());

		StepVerifier.create(authenticate("client-1", "anything", GrantType.PASSWORD))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
	}

	@Test
	void authenticateWhenPublicClientWithoutSecretThenPasswordGrantAllowed() {
		RegisteredClient client = save(client().publicClient().grantTypes(GrantType.PASSWORD).build());

		StepVerifier.create(authenticate("client-1", null, GrantType.PASSWORD)).expectNext(client).verifyComplete();
	}

	@Test
	void authenticateWhenPublicClientThenClientCredentialsRefused() {
		save(client().publicClient().grantTypes(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD).build());

		StepVerifier.create(authenticate("client-1", null, GrantType.CLIENT_CREDENTIALS))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
	}

	@Test
	void authenticateWhenNonConfidentialClientWithRightSecretThenClientCredentialsRefused() {
		// RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
		save(client().confidential(false).grantTypes(GrantType.CLIENT_CREDENTIALS).build());

		StepVerifier.create(authenticate("client-1", "secret-1", GrantType.CLIENT_CREDENTIALS))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
	}

	@Test
	void authenticateWhenGrantNotAllowedForClientThenInvalidClient() {
		save(client().grantTypes(GrantType.CLIENT_CREDENTIALS).build());

		StepVerifier.create(authenticate("client-1", "secret-1", GrantType.PASSWORD))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
	}

	@ParameterizedTest
	@EnumSource(value = GrantType.class, names = { "CLIENT_CREDENTIALS", "PASSWORD" })
	void authenticateWhenRefreshTokenThenAllowedWhateverTheClientsGrants(GrantType only) {
		RegisteredClient client = save(client().grantTypes(only).build());

		StepVerifier.create(authenticate("client-1", "secret-1", GrantType.REFRESH_TOKEN))
			.expectNext(client)
			.verifyComplete();
	}

	@Test
	void authenticateWhenRightSecretThenRememberedSoTheNextCheckSkipsTheSlowHash() {
		RegisteredClient client = save(client().build());
		assertThat(this.verifiedSecrets.isVerified(client, "secret-1")).isFalse();

		StepVerifier.create(authenticate("client-1", "secret-1", GrantType.CLIENT_CREDENTIALS))
			.expectNext(client)
			.verifyComplete();

		assertThat(this.verifiedSecrets.isVerified(client, "secret-1")).isTrue();
		// a scheduler that refuses all work: any slow hash would fail the authentication
		Scheduler noHashing = Schedulers.newSingle("no-hashing");
		noHashing.dispose();
		ClientAuthenticator cached = new ClientAuthenticator(this.clients, HASHER, this.verifiedSecrets, noHashing);
		StepVerifier.create(cached.authenticate(new ClientCredentials("client-1", "secret-1"), GrantType.PASSWORD))
			.expectNext(client)
			.verifyComplete();
		StepVerifier.create(cached.authenticate(new ClientCredentials("client-1", "secret-2"), GrantType.PASSWORD))
			.expectError(RejectedExecutionException.class)
			.verify();
	}

	@Test
	void authenticateWhenSecretRotatedThenOldSecretRefusedDespiteCache() {
		save(client().build());
		StepVerifier.create(authenticate("client-1", "secret-1", GrantType.CLIENT_CREDENTIALS))
			.expectNextCount(1)
			.verifyComplete();

		save(client().secret("secret-2").build());

		StepVerifier.create(authenticate("client-1", "secret-1", GrantType.CLIENT_CREDENTIALS))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify();
		StepVerifier.create(authenticate("client-1", "secret-2", GrantType.CLIENT_CREDENTIALS))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void authenticateWhenOnBoundedElasticThenSameResult() {
		RegisteredClient client = save(client().build());
		ClientAuthenticator offloading = new ClientAuthenticator(this.clients, HASHER, this.verifiedSecrets,
				Schedulers.boundedElastic());

		StepVerifier.create(offloading.authenticate(new ClientCredentials("client-1", "secret-1"), GrantType.PASSWORD))
			.expectNext(client)
			.verifyComplete();
		StepVerifier.create(offloading.authenticate(new ClientCredentials("client-1", "nope"), GrantType.PASSWORD))
			.expectErrorSatisfies(ClientAuthenticatorTests::assertInvalidClient)
			.verify(Duration.ofSeconds(5));
	}

	private Mono<RegisteredClient> authenticate(String clientId, @Nullable String secret,
			GrantType grantType) {
		return this.authenticator.authenticate(new ClientCredentials(clientId, secret), grantType);
	}

	private RegisteredClient save(RegisteredClient client) {
		return this.clients.save(client).block();
	}

	private static void assertInvalidClient(Throwable ex) {
		OAuth2Error error = oauth2Error(ex);
		assertThat(error.code()).isEqualTo("invalid_client");
		assertThat(error.httpStatus()).isEqualTo(401);
		assertThat(error.description()).isEqualTo("Client authentication failed");
		assertThat(error.hint()).isNull();
	}

}
