package dev.portcullis.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.portcullis.admin.ClientAdministration.ClientCommand;
import dev.portcullis.admin.ClientAdministration.ClientWithSecret;
import dev.portcullis.admin.ClientAdministration.ConfiguredClient;
import dev.portcullis.fixtures.TestAdministration;
import dev.portcullis.fixtures.TestAuthorizations;
import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.ClientTokenSettings;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.PasswordHasher;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ClientAdministration}: the rules every adapter (API, pages, bootstrap) gets alike, over the
 * in-memory stores.
 */
class ClientAdministrationTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final InMemoryClientStore store = new InMemoryClientStore();

	private final TestAdministration administration = TestAdministration.over(this.store, new InMemoryUserStore());

	private final ClientAdministration clients = this.administration.clients();

	@Test
	void createWhenConfidentialWithoutSecretThenGenerates256BitsAndKeepsOnlyTheHash() {
		ClientWithSecret created = this.clients.create(passwordClient(null), "admin-1").block(WAIT);

		assertThat(created.secret()).matches("[0-9a-f]{64}");
		assertThat(created.client().secretHash()).isNotEqualTo(created.secret());
		assertThat(new PasswordHasher(4).matches(created.secret(), created.client().secretHash())).isTrue();
		assertThat(this.store.findById(created.client().id()).block(WAIT)).isEqualTo(created.client());
	}

	@Test
	void createWhenCreatedThenAuditedWithTheActor() {
		ClientWithSecret created = this.clients.create(passwordClient("typed-secret-1"), "admin-1").block(WAIT);

		AuditEvent event = this.administration.audit().recent(0, 1).blockFirst(WAIT);
		assertThat(event.actor()).isEqualTo("admin-1");
		assertThat(event.action()).isEqualTo("client.created");
		assertThat(event.target()).isEqualTo(created.client().id());
		assertThat(event.detail()).doesNotContain("typed-secret-1");
	}

	@Test
	void createWhenFieldsInvalidThenEveryFieldNamedAndNothingSaved() {
		ClientCommand command = new ClientCommand(" ", List.of("implicit"), "short", true, null,
				List.of("javascript://x.example/%0aalert(4)"), List.of("a b"), null, null);

		StepVerifier.create(this.clients.create(command, "admin-1"))
			.expectErrorSatisfies((ex) -> assertThat(((InvalidFieldsException) ex).fields()).containsOnlyKeys("name",
					"grantTypes", "secret", "redirectUris", "scopes"))
			.verify(WAIT);
		assertThat(this.store.findAll().collectList().block(WAIT)).isEmpty();
	}

	/** Issue 15: an imported client passes the policy of every other path, and keeps what only Portcullis says. */
	@Test
	void importedWhenStoredAlreadyThenThePolicyAppliesAndWhatTheImportDoesNotDescribeIsKept() {
		RegisteredClient current = new RegisteredClient("crm-1", "CRM", "{bcrypt-sha256}x", true,
				Set.of(GrantType.PASSWORD), null, List.of(), Set.of("accounts"),
				new ClientTokenSettings(Duration.ofMinutes(5), null, false, true, "sales", SigningAlgorithm.EdDSA));
		ClientCommand renamed = new ClientCommand("CRM v2", List.of("password"), null, true, null, List.of(), List.of(),
				null, null);

		RegisteredClient imported = this.clients.imported("crm-1", renamed, "{suitecrm-sha256}ab", current);

		assertThat(imported).isEqualTo(new RegisteredClient("crm-1", "CRM v2", "{suitecrm-sha256}ab", true,
				Set.of(GrantType.PASSWORD), null, List.of(), Set.of("accounts"),
				new ClientTokenSettings(Duration.ofMinutes(5), null, false, true, "sales", SigningAlgorithm.EdDSA)));
		ClientCommand publicCredentials = new ClientCommand("Sync", List.of("client_credentials"), null, false, "user-1",
				List.of(), List.of(), null, null);
		assertThatExceptionOfType(InvalidFieldsException.class)
			.isThrownBy(() -> this.clients.imported("sync-1", publicCredentials, null, null))
			.satisfies((ex) -> assertThat(ex.fields()).containsOnlyKeys("confidential"));
	}

	@Test
	void updateWhenScopeTakenAwayThenGrantsBeyondItRevokedAndAudited() {
		RegisteredClient client = this.clients
			.create(new ClientCommand("CRM", List.of("password"), null, true, null, null, List.of("read", "write"),
					null, null), "admin-1")
			.block(WAIT)
			.client();
		Authorization reading = grant(client, "read");
		Authorization writing = grant(client, "write");

		this.clients.update(client.id(), new ClientCommand(null, null, null, null, null, null, List.of("read"), null,
				null), "admin-1").block(WAIT);

		assertThat(this.administration.authorizations().findById(reading.id()).block(WAIT)).isNotNull();
		assertThat(this.administration.authorizations().findById(writing.id()).block(WAIT)).isNull();
		assertThat(this.administration.audit().recent(0, 1).blockFirst(WAIT).detail())
			.isEqualTo("Updated client 'CRM': scopes [read, write] → [read]; revoked 1 grants it no longer covers");
	}

	/** Issue 15: the proxy reads a grant's backend credential once, so changing the credential ends the grants. */
	@Test
	void updateWhenTheBackendCredentialChangesThenEveryGrantEndsAndTheAuditSaysWhy() {
		TestAdministration withCredentials = TestAdministration.over(new InMemoryClientStore(), new InMemoryUserStore(),
				new ClientPolicy(false, Set.of("crm", "sales")));
		ClientAdministration clients = withCredentials.clients();
		RegisteredClient client = clients.create(passwordClient(null), "admin-1").block(WAIT).client();
		Authorization live = TestAuthorizations.authorization(Instant.now()).clientId(client.id())
			.grantType(GrantType.PASSWORD).scopes("read").build();
		withCredentials.authorizations().save(live).block(WAIT);
		ClientCommand renamed = new ClientCommand("CRM v2", null, null, null, null, null, null, null, null);
		ClientCommand toSales = new ClientCommand(null, null, null, null, null, null, null, null, null, null, null,
				"sales", null);

		clients.update(client.id(), renamed, "admin-1").block(WAIT);
		assertThat(withCredentials.authorizations().findById(live.id()).block(WAIT)).as("kept by other changes")
			.isNotNull();
		RegisteredClient moved = clients.update(client.id(), toSales, "admin-1").block(WAIT);

		assertThat(moved.tokenSettings().backendCredential()).isEqualTo("sales");
		assertThat(withCredentials.authorizations().findById(live.id()).block(WAIT)).isNull();
		assertThat(withCredentials.audit().recent(0, 1).blockFirst(WAIT).detail()).isEqualTo("Updated client 'CRM v2': "
				+ "backend credential route default → 'sales' (its grants end, so that no token acts with the old one); "
				+ "revoked 1 grants it no longer covers");
	}

	@Test
	void rotateSecretWhenPublicClientAndNotAskedToMakeItConfidentialThenRefusedOnThatField() {
		RegisteredClient client = this.clients
			.create(new ClientCommand("App", List.of("authorization_code"), null, false, null,
					List.of("https://app.example/cb"), null, null, null), "admin-1")
			.block(WAIT)
			.client();

		StepVerifier.create(this.clients.rotateSecret(client.id(), null, false, "admin-1"))
			.expectErrorSatisfies((ex) -> assertThat(((AdministrationRefusedException) ex).field())
				.isEqualTo("confidential"))
			.verify(WAIT);
		ClientWithSecret rotated = this.clients.rotateSecret(client.id(), null, true, "admin-1").block(WAIT);
		assertThat(rotated.client().confidential()).isTrue();
		assertThat(rotated.secret()).matches("[0-9a-f]{64}");
	}

	@Test
	void deleteWhenGrantsLiveThenAllRevoked() {
		RegisteredClient client = this.clients.create(passwordClient(null), "admin-1").block(WAIT).client();
		Authorization live = grant(client, "read");

		this.clients.delete(client.id(), "admin-1").block(WAIT);

		assertThat(this.administration.authorizations().findById(live.id()).block(WAIT)).isNull();
		StepVerifier.create(this.clients.find(client.id())).expectError(NoSuchObjectException.class).verify(WAIT);
	}

	@Test
	void configureWhenConfidentialWithoutSecretThenRefused() {
		StepVerifier.create(this.clients.configure("c-1", passwordClient(null)))
			.expectErrorSatisfies((ex) -> assertThat(((InvalidFieldsException) ex).fields()).containsKey("secret"))
			.verify(WAIT);
	}

	@Test
	void configureWhenSameSecretAgainThenHashKeptAndNotAudited() {
		ConfiguredClient first = this.clients.configure("c-1", passwordClient("demo-secret")).block(WAIT);
		ConfiguredClient again = this.clients.configure("c-1", passwordClient("demo-secret")).block(WAIT);

		assertThat(first.created()).isTrue();
		assertThat(again.created()).isFalse();
		assertThat(again.client().secretHash()).isEqualTo(first.client().secretHash());
		assertThat(this.administration.audit().count().block(WAIT)).isZero();
	}

	private Authorization grant(RegisteredClient client, String scope) {
		Authorization authorization = TestAuthorizations.authorization(Instant.now())
			.clientId(client.id())
			.grantType(GrantType.PASSWORD)
			.scopes(scope)
			.build();
		this.administration.authorizations().save(authorization).block(WAIT);
		return authorization;
	}

	private static ClientCommand passwordClient(String secret) {
		return new ClientCommand("CRM", List.of("password"), secret, true, null, null, List.of("read"), null, null);
	}

}
