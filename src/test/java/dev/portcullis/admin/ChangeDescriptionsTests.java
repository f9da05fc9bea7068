package dev.portcullis.admin;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.ClientTokenSettings;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChangeDescriptions}.
 */
class ChangeDescriptionsTests {

	@Test
	void ofUserWhenRolesAndStateChangedThenEachNamedAndNoHashShown() {
		User before = new User("u1", "frank", "hash-before", true, false);
		User after = new User("u1", "franky", "hash-after", false, true);

		assertThat(ChangeDescriptions.ofUser(before, after, true)).isEqualTo(
				"Updated user 'franky': username 'frank' → 'franky', made an administrator, deactivated, password reset");
		assertThat(ChangeDescriptions.ofUser(before, before, false)).isEqualTo("Updated user 'frank' (nothing changed)");
	}

	@Test
	void ofClientWhenEveryFieldChangedThenEachNamedAndNoSecretShown() {
		RegisteredClient before = new RegisteredClient("c1", "CRM", "secret-hash", true, Set.of(GrantType.PASSWORD),
				"u1", List.of("https://a.example/cb"), Set.of("read"),
				ClientTokenSettings.defaults().withRefreshTokenTtl(Duration.ofDays(30)));
		RegisteredClient after = new RegisteredClient("c1", "CRM web", null, false,
				Set.of(GrantType.PASSWORD, GrantType.AUTHORIZATION_CODE), null, List.of("https://b.example/cb"),
				Set.of("read", "write"),
				ClientTokenSettings.defaults().withAccessTokenTtl(Duration.ofMinutes(5)).withIntrospection(true)
					.withSigningAlgorithm(SigningAlgorithm.EdDSA));

		assertThat(ChangeDescriptions.ofClient(before, after)).isEqualTo("Updated client 'CRM web': name 'CRM' → 'CRM web', "
				+ "made public (its secret removed), grant types [password] → [authorization_code, password], "
				+ "redirect URIs [https://a.example/cb] → [https://b.example/cb], scopes [read] → [read, write], "
				+ "associated user u1 → none, access token lifetime the default → PT5M, "
				+ "refresh token lifetime PT720H → the default, token introspection allowed, "
				+ "signing algorithm RS256 → EdDSA")
			.doesNotContain("secret-hash");
	}

	/** Issue 15: the audit says which credential the client acts with now, and that its grants end. */
	@Test
	void ofClientWhenTheBackendCredentialChangedThenBothNamedAndTheGrantsEndSaid() {
		RegisteredClient before = new RegisteredClient("c1", "Sync", "secret-hash", true,
				Set.of(GrantType.CLIENT_CREDENTIALS), null, List.of(), Set.of(), ClientTokenSettings.defaults());
		RegisteredClient sales = new RegisteredClient("c1", "Sync", "secret-hash", true,
				Set.of(GrantType.CLIENT_CREDENTIALS), null, List.of(), Set.of(),
				ClientTokenSettings.defaults().withBackendCredential("sales"));

		assertThat(ChangeDescriptions.ofClient(before, sales)).isEqualTo("Updated client 'Sync': backend credential "
				+ "route default → 'sales' (its grants end, so that no token acts with the old one)");
		assertThat(ChangeDescriptions.ofClient(sales, before)).contains("backend credential 'sales' → route default");
	}

}
