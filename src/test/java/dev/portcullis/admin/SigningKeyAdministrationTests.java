package dev.portcullis.admin;

import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import dev.portcullis.fixtures.UnitTestFixtures;
import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.SigningKey;
import dev.portcullis.oauth2.token.SigningKeyRotation;
import dev.portcullis.oauth2.token.SigningKeySet;
import dev.portcullis.store.inmemory.InMemoryAuditLog;
import dev.portcullis.store.inmemory.InMemorySigningKeyStore;
import dev.portcullis.support.Ed25519Keys;
import dev.portcullis.support.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation on demand and on a schedule over one store shared by two replicas: each change is audited and used at once
 * by the replica that made it; of replicas acting on the schedule at once, one acts; configured keys refuse changes.
 */
class SigningKeyAdministrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Duration PUBLICATION = Duration.ofMinutes(10);

	private final MutableClock clock = new MutableClock(UnitTestFixtures.START);

	private final SigningKeyRotation rotation = new SigningKeyRotation(PUBLICATION, Duration.ofDays(366));

	private final InMemorySigningKeyStore store = new InMemorySigningKeyStore();

	private final AuditLog audit = new InMemoryAuditLog(AuditLog.CAPACITY);

	private final SigningKeySet first = this.rotation.start(SigningKeySet.EMPTY,
			new RSAKey.Builder(UnitTestFixtures.signingKey()).keyID("first").algorithm(JWSAlgorithm.RS256).build(),
			JWSAlgorithm.RS256, this.clock.instant());

	private SigningKeyAdministration replica(CurrentSigningKeys keys) {
		return new SigningKeyAdministration(this.store, keys, this.rotation, new AuditTrail(this.audit, this.clock),
				this.clock);
	}

	@Test
	void createNextThenPromoteWhenPublishedLongEnoughThenSigningAndAudited() {
		this.store.replace(0, this.first).block(TIMEOUT);
		CurrentSigningKeys keys = new CurrentSigningKeys(this.first, this.clock);
		SigningKeyAdministration administration = replica(keys);

		SigningKey next = administration.createNext(SigningAlgorithm.RS256, "admin-id").block(TIMEOUT);
		assertThat(keys.current().published()).as("in use at once where it was made").contains(next.kid());
		StepVerifier.create(administration.promote(next.kid(), "admin-id"))
			.expectErrorMatches((ex) -> ex instanceof AdministrationRefusedException
					&& ex.getMessage().contains("cannot be promoted before"))
			.verify(TIMEOUT);

		this.clock.advance(PUBLICATION);
		administration.promote(next.kid(), "admin-id").block(TIMEOUT);

		assertThat(keys.current().signer().kid()).isEqualTo(next.kid());
		assertThat(this.audit.recent(0, 10).map(AuditEvent::action).collectList().block(TIMEOUT))
			.containsExactly("signing-key.promote", "signing-key.create-next");
	}

	@Test
	void promoteWhenKidIsNotTheNextKeyThenRefused() {
		this.store.replace(0, this.first).block(TIMEOUT);
		SigningKeyAdministration administration = replica(new CurrentSigningKeys(this.first, this.clock));

		StepVerifier.create(administration.promote("first", "admin-id"))
			.expectErrorMatches((ex) -> ex instanceof AdministrationRefusedException
					&& ex.getMessage().contains("only the next key can be promoted"))
			.verify(TIMEOUT);
		StepVerifier.create(administration.promote("unknown", "admin-id"))
			.expectError(NoSuchObjectException.class)
			.verify(TIMEOUT);
	}

	@Test
	void rotateIfDueWhenTwoReplicasCheckAtOnceThenOneActsAndBothEndUpWithTheSameKeys() {
		this.store.replace(0, this.first).block(TIMEOUT);
		CurrentSigningKeys keysA = new CurrentSigningKeys(this.first, this.clock);
		CurrentSigningKeys keysB = new CurrentSigningKeys(this.first, this.clock);
		List<SigningKeyAdministration> replicas = List.of(replica(keysA), replica(keysB));
		Duration interval = Duration.ofDays(30);
		this.clock.advance(interval.minus(PUBLICATION));

		List<Boolean> created = Flux.fromIterable(replicas)
			.flatMap((replica) -> replica.rotateIfDue(interval).subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(TIMEOUT);

		assertThat(created).containsOnlyOnce(true);
		SigningKeySet stored = this.store.load().block(TIMEOUT);
		assertThat(stored.next()).isPresent();

		this.clock.advance(PUBLICATION);
		List<Boolean> promoted = Flux.fromIterable(replicas)
			.flatMap((replica) -> replica.rotateIfDue(interval).subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(TIMEOUT);

		assertThat(promoted).containsOnlyOnce(true);
		assertThat(this.store.load().block(TIMEOUT).active().get().kid()).isEqualTo(stored.next().get().kid());
		assertThat(this.audit.recent(0, 10).map(AuditEvent::actor).collectList().block(TIMEOUT))
			.containsOnly(SigningKeyAdministration.SCHEDULE)
			.hasSize(2);
	}

	/** Issue 16: the schedule rotates the Ed25519 key as it rotates the RSA key, in the same change of the set. */
	@Test
	void rotateIfDueWhenRsaAndEd25519KeysThenBothRotateAndEachStepIsAudited() {
		SigningKeySet both = this.rotation.start(this.first, Ed25519Keys.generate(), JWSAlgorithm.EdDSA,
				this.clock.instant());
		this.store.replace(0, both).block(TIMEOUT);
		CurrentSigningKeys keys = new CurrentSigningKeys(both, this.clock);
		SigningKeyAdministration administration = replica(keys);
		Duration interval = Duration.ofDays(30);

		this.clock.advance(interval.minus(PUBLICATION));
		assertThat(administration.rotateIfDue(interval).block(TIMEOUT)).isTrue();
		SigningKeySet withNext = this.store.load().block(TIMEOUT);
		assertThat(withNext.next(JWSAlgorithm.RS256)).isPresent();
		assertThat(withNext.next(JWSAlgorithm.EdDSA)).isPresent();

		this.clock.advance(PUBLICATION);
		assertThat(administration.rotateIfDue(interval).block(TIMEOUT)).isTrue();

		assertThat(keys.current().signer(SigningAlgorithm.EdDSA).kid())
			.isEqualTo(withNext.next(JWSAlgorithm.EdDSA).get().kid());
		assertThat(keys.current().signer(SigningAlgorithm.RS256).kid())
			.isEqualTo(withNext.next(JWSAlgorithm.RS256).get().kid());
		assertThat(this.audit.recent(0, 10).map(AuditEvent::action).collectList().block(TIMEOUT)).containsExactly(
				"signing-key.promote", "signing-key.promote", "signing-key.create-next", "signing-key.create-next");
	}

	/** Issue 16: retiring the Ed25519 key now hands EdDSA signing to a new Ed25519 key, and leaves RS256 alone. */
	@Test
	void retireNowWhenActiveEd25519KeyThenANewEd25519KeySignsAtOnce() {
		SigningKeySet both = this.rotation.start(this.first, Ed25519Keys.generate(), JWSAlgorithm.EdDSA,
				this.clock.instant());
		this.store.replace(0, both).block(TIMEOUT);
		CurrentSigningKeys keys = new CurrentSigningKeys(both, this.clock);
		String compromised = both.active(JWSAlgorithm.EdDSA).get().kid();

		replica(keys).retireNow(compromised, "admin-id").block(TIMEOUT);

		assertThat(keys.current().signer(SigningAlgorithm.EdDSA).kid()).isNotEqualTo(compromised);
		assertThat(keys.current().set().active(JWSAlgorithm.EdDSA).get().algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		assertThat(keys.current().signer(SigningAlgorithm.RS256).kid()).isEqualTo("first");
		assertThat(keys.current().accepts(compromised, this.clock.instant())).isFalse();
	}

	@Test
	void changeWhenKeysConfiguredThenRefusedNamingTheConfiguration() {
		SigningKeyAdministration configured = new SigningKeyAdministration(null,
				new CurrentSigningKeys(this.first, this.clock), this.rotation, new AuditTrail(this.audit, this.clock),
				this.clock);

		assertThat(configured.configured()).isTrue();
		StepVerifier.create(configured.createNext(SigningAlgorithm.RS256, "admin-id"))
			.expectErrorMatches((ex) -> ex instanceof AdministrationRefusedException
					&& ex.getMessage().contains("rotate them in the configuration"))
			.verify(TIMEOUT);
		StepVerifier.create(configured.list()).expectNext(this.first).verifyComplete();
	}

}
