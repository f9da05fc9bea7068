package dev.portcullis.oauth2.grant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TokenIssuer} signs on its signing scheduler, not on the thread that subscribes (with Redis: the I/O thread
 * that delivered the preceding store answer). Its clock is read as each token is made, so the clock tells the thread.
 */
class TokenIssuerTests {

	private final MutableClock storeClock = new MutableClock(UnitTestFixtures.START);

	private final AtomicReference<String> tokenMadeOn = new AtomicReference<>();

	private final Clock issuerClock = new Clock() {

		@Override
		public Instant instant() {
			TokenIssuerTests.this.tokenMadeOn.compareAndSet(null, Thread.currentThread().getName());
			return TokenIssuerTests.this.storeClock.instant();
		}

		@Override
		public ZoneId getZone() {
			return TokenIssuerTests.this.storeClock.getZone();
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	};

	private final Scheduler signing = Schedulers.newSingle("signing-test");

	private final TokenIssuer issuer = new TokenIssuer(
			new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(UnitTestFixtures.signingKey()), UnitTestFixtures.ISSUER),
			new InMemoryAuthorizationStore(new InMemoryRevocationStore(this.storeClock), this.storeClock),
			Duration.ofHours(1), Duration.ofDays(30), this.issuerClock, this.signing, 1000, UnitTestFixtures.ALLOWED);

	private final RegisteredClient client = UnitTestFixtures.client().build();

	@AfterEach
	void dispose() {
		this.signing.dispose();
	}

	@Test
	void issueWhenSubscribedThenSignedOnTheSigningScheduler() {
		var tokens = this.issuer.issue(this.client, null, GrantType.CLIENT_CREDENTIALS, Set.of(), false, false)
			.block(Duration.ofSeconds(5));

		assertThat(tokens).isNotNull();
		assertThat(this.tokenMadeOn.get()).startsWith("signing-test");
	}

	/** Issue 11: an integration asking for a token per call kept every grant until it expired. */
	@Test
	void issueWhenTheClientHoldsTheMostGrantsForTheSubjectThenTheOneExpiringFirstEnds() {
		InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.storeClock);
		InMemoryAuthorizationStore store = new InMemoryAuthorizationStore(revocations, this.storeClock);
		TokenIssuer capped = new TokenIssuer(
				new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(UnitTestFixtures.signingKey()), UnitTestFixtures.ISSUER),
				store, Duration.ofHours(1), Duration.ofDays(30), this.storeClock, Schedulers.immediate(), 3,
				UnitTestFixtures.ALLOWED);
		java.util.List<String> jtis = new java.util.ArrayList<>();
		for (int i = 0; i < 5; i++) {
			this.storeClock.advance(Duration.ofSeconds(1));
			jtis.add(capped.issue(this.client, null, GrantType.CLIENT_CREDENTIALS, Set.of(), false, false)
				.block(Duration.ofSeconds(5))
				.accessToken()
				.jti());
		}

		assertThat(store.count(this.client.id(), null).block()).isEqualTo(3);
		assertThat(jtis).extracting((jti) -> revocations.isRevoked(jti).block())
			.containsExactly(true, true, false, false, false);
	}

	/** Review finding on issue 11: grants stored while an administrator narrowed or deleted the client survived. */
	@Test
	void issueWhenTheClientChangedWhileTheTokenWasIssuedThenTheGrantEndsAndInvalidClient() {
		InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.storeClock);
		InMemoryAuthorizationStore store = new InMemoryAuthorizationStore(revocations, this.storeClock);
		InMemoryClientStore clients = new InMemoryClientStore();
		InMemoryUserStore users = new InMemoryUserStore();
		TokenIssuer rechecking = new TokenIssuer(
				new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(UnitTestFixtures.signingKey()), UnitTestFixtures.ISSUER),
				store, Duration.ofHours(1), Duration.ofDays(30), this.storeClock, Schedulers.immediate(), 1000,
				GrantRecheck.fromStores(clients, users));
		RegisteredClient asRead = UnitTestFixtures.client().scopes("read", "write").build();
		clients.save(UnitTestFixtures.client().scopes("read").build()).block();

		StepVerifier.create(rechecking.issue(asRead, null, GrantType.CLIENT_CREDENTIALS, Set.of("write"), false, true))
			.expectErrorSatisfies((ex) -> UnitTestFixtures.assertOAuth2Error(ex, "invalid_client", 401, null))
			.verify();
		assertThat(store.count(asRead.id(), null).block()).as("the grant stored too late ended").isZero();

		StepVerifier.create(rechecking.issue(asRead, null, GrantType.CLIENT_CREDENTIALS, Set.of("read"), false, true))
			.expectNextCount(1)
			.verifyComplete();
		clients.deleteById(asRead.id()).block();
		StepVerifier.create(rechecking.issue(asRead, null, GrantType.CLIENT_CREDENTIALS, Set.of("read"), false, true))
			.expectError()
			.verify();
		users.save(UnitTestFixtures.user().id("user-1").inactive().build()).block();
		clients.save(asRead).block();
		StepVerifier.create(rechecking.issue(asRead, "user-1", GrantType.PASSWORD, Set.of(), true, false))
			.expectErrorSatisfies((ex) -> UnitTestFixtures.assertOAuth2Error(ex, "invalid_client", 401, null))
			.verify();
		assertThat(store.count(asRead.id(), null).block()).isEqualTo(1);
	}

	/**
	 * Issue 16: a request may start from a client a replica remembered; an associated user changed meanwhile ends the
	 * grant, however narrow the window.
	 */
	@Test
	void issueWhenTheStoredClientActsAsAnotherUserThenTheGrantEndsAndInvalidClient() {
		InMemoryRevocationStore revocations = new InMemoryRevocationStore(this.storeClock);
		InMemoryAuthorizationStore store = new InMemoryAuthorizationStore(revocations, this.storeClock);
		InMemoryClientStore clients = new InMemoryClientStore();
		InMemoryUserStore users = new InMemoryUserStore();
		TokenIssuer rechecking = new TokenIssuer(
				new JwtAccessTokenGenerator(CurrentSigningKeys.withActiveKey(UnitTestFixtures.signingKey()), UnitTestFixtures.ISSUER),
				store, Duration.ofHours(1), Duration.ofDays(30), this.storeClock, Schedulers.immediate(), 1000,
				GrantRecheck.fromStores(clients, users));
		RegisteredClient remembered = UnitTestFixtures.client().build();

		clients.save(UnitTestFixtures.client().associatedUserId("someone-else").build()).block();
		StepVerifier.create(rechecking.issue(remembered, null, GrantType.CLIENT_CREDENTIALS, Set.of(), false, false))
			.expectErrorSatisfies((ex) -> UnitTestFixtures.assertOAuth2Error(ex, "invalid_client", 401, null))
			.verify();
		assertThat(store.count(remembered.id(), null).block()).as("the grant stored too late ended").isZero();

		clients.save(remembered).block();
		StepVerifier.create(rechecking.issue(remembered, null, GrantType.CLIENT_CREDENTIALS, Set.of(), false, false))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void accessTokenWhenSubscribedThenSignedOnTheSigningScheduler() {
		var authorization = TestAuthorizations.clientCredentials(UnitTestFixtures.START).build();

		var accessToken = this.issuer.accessToken(this.client, authorization, Set.of()).block(Duration.ofSeconds(5));

		assertThat(accessToken).isNotNull();
		assertThat(accessToken.jti()).startsWith(authorization.id());
		assertThat(this.tokenMadeOn.get()).startsWith("signing-test");
	}

}
