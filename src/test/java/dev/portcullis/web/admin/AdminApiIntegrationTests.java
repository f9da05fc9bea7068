package dev.portcullis.web.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.web.PortcullisIntegrationTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API over real HTTP against Redis: who may use it, the client and user lifecycle, token listing and
 * revocation seen by the proxy, field-level refusals, and the audit log.
 */
class AdminApiIntegrationTests extends PortcullisIntegrationTests {

	@org.springframework.beans.factory.annotation.Autowired
	private dev.portcullis.oauth2.store.ConsentStore consents;

	@org.springframework.beans.factory.annotation.Autowired
	private dev.portcullis.oauth2.store.AuthorizationCodeStore codes;

	private String adminBasic;

	private User admin;

	@BeforeEach
	void registerAdmin() {
		String username = uniqueId("root");
		this.admin = this.users.save(new User(uniqueId("admin"), username, this.hasher.hash("root-password"), true, true))
			.block(Duration.ofSeconds(5));
		this.adminBasic = basic(username, "root-password");
	}

	@Test
	void adminApiWhenNoCredentialsThenUnauthorizedWithBasicChallenge() {
		this.http.get()
			.uri("/admin/api/clients")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Portcullis admin\"")
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("unauthorized");
		this.http.get()
			.uri("/admin/api/clients")
			.header(HttpHeaders.AUTHORIZATION, basic(this.admin.username(), "wrong"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void adminApiWhenOrdinaryUserThenUnauthorizedAndTokenWithoutAdminScopeThenForbidden() {
		User user = registerUser(uniqueId("plain"), true);
		// issue 11: a correct password of a non-administrator answers as a wrong one, no password oracle
		this.http.get()
			.uri("/admin/api/clients")
			.header(HttpHeaders.AUTHORIZATION, basic(user.username(), user.username() + "-password"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.http.get()
			.uri("/admin/api/clients")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + clientCredentialsToken())
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void adminApiWhenTokenCarriesAdminScopeThenAllowed() {
		this.http.get()
			.uri("/admin/api/clients")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + clientCredentialsToken("admin"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items")
			.isArray();
	}

	@Test
	void clientLifecycleWhenCreatedThenSecretOnceTokenListedRevokedAndRefusedByProxy() {
		User crmUser = registerUser(uniqueId("crm"), true);
		Map<String, Object> created = parse(admin().post()
			.uri("/admin/api/clients")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "CRM sync", "grantTypes", List.of("client_credentials"), "associatedUser",
					crmUser.username()))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody());
		String id = (String) created.get("id");
		String secret = (String) created.get("secret");
		assertThat(secret).hasSize(64);
		assertThat(created).containsEntry("associatedUser", crmUser.id()).containsEntry("confidential", true);
		admin().get().uri("/admin/api/clients/" + id).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.secret").doesNotExist()
			.jsonPath("$.name").isEqualTo("CRM sync");

		String token = (String) parse(postForm(form("grant_type", "client_credentials", "client_id", id,
				"client_secret", secret)).expectStatus().isOk().expectBody().returnResult().getResponseBody())
			.get("access_token");
		this.http.get().uri("/Api/V8/module/Accounts").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange().expectStatus().isOk();
		Map<String, Object> listed = parse(admin().get().uri("/admin/api/tokens?clientId=" + id).exchange()
			.expectStatus().isOk().expectBody().returnResult().getResponseBody());
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> items = (List<Map<String, Object>>) listed.get("items");
		assertThat(items).singleElement().satisfies((item) -> {
			assertThat(item).containsEntry("clientId", id).containsEntry("userId", crmUser.id())
				.containsEntry("grantType", "client_credentials").containsKeys("issuedAt", "expiresAt");
		});

		admin().delete().uri("/admin/api/tokens/" + items.get(0).get("jti")).exchange().expectStatus().isNoContent();

		this.http.get().uri("/Api/V8/module/Accounts").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange().expectStatus().isUnauthorized().expectBody()
			.jsonPath("$.hint").isEqualTo("Access token has been revoked");
		admin().get().uri("/admin/api/audit?size=200").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.items[?(@.target == '" + id + "' && @.action == 'client.created')].actor").isEqualTo(List.of(this.admin.id()))
			.jsonPath("$.page").isEqualTo(0).jsonPath("$.size").isEqualTo(200).jsonPath("$.total").isNumber();
	}

	@Test
	void clientWhenSecretRotatedThenOldSecretFailsAndNewWorks() {
		String id = (String) createClient("Rotating", List.of("client_credentials")).get("id");
		String oldSecret = (String) parse(admin().get().uri("/admin/api/clients/" + id).exchange().expectBody()
			.returnResult().getResponseBody()).get("secret");
		assertThat(oldSecret).isNull();

		Map<String, Object> rotated = parse(admin().post().uri("/admin/api/clients/" + id + "/secret")
			.contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
			.expectStatus().isOk().expectBody().returnResult().getResponseBody());

		postForm(form("grant_type", "client_credentials", "client_id", id, "client_secret", (String) rotated.get("secret")))
			.expectStatus().isOk();
	}

	@Test
	void clientWhenDeletedThenItsTokensAreRevoked() {
		Map<String, Object> created = createClient("Doomed", List.of("client_credentials"));
		String id = (String) created.get("id");
		String token = (String) parse(postForm(form("grant_type", "client_credentials", "client_id", id,
				"client_secret", (String) created.get("secret"))).expectStatus().isOk().expectBody().returnResult()
			.getResponseBody()).get("access_token");

		admin().delete().uri("/admin/api/clients/" + id).exchange().expectStatus().isNoContent();

		admin().get().uri("/admin/api/clients/" + id).exchange().expectStatus().isNotFound().expectBody()
			.jsonPath("$.error").isEqualTo("not_found");
		this.http.get().uri("/Api/V8/module/Accounts").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange().expectStatus().isUnauthorized();
	}

	@Test
	void clientWhenInvalidThenFieldLevel400AndNothingStored() {
		long before = clientCount();
		admin().post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", " ", "grantTypes", List.of("implicit")))
			.exchange().expectStatus().isBadRequest().expectBody()
			.jsonPath("$.error").isEqualTo("invalid_request")
			.jsonPath("$.fields.name").isEqualTo("must not be blank")
			.jsonPath("$.fields.grantTypes").exists();
		admin().post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Public cc", "grantTypes", List.of("client_credentials"), "confidential", false))
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.fields.confidential").exists();
		admin().post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Web", "grantTypes", List.of("authorization_code"), "redirectUris", List.of("/relative#x")))
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.fields.redirectUris").exists();
		admin().post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": [1, 2")
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo("invalid_request");
		admin().post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Ghost user", "grantTypes", List.of("client_credentials"), "associatedUser", "nobody-" + uniqueId("x")))
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.fields.associatedUser").exists();
		assertThat(clientCount()).isEqualTo(before);
	}

	@Test
	void userWhenDeactivatedThenTokensRevokedAndNoNewOnes() {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("leaver"), true);
		String token = (String) parse(postForm(form("grant_type", "password", "client_id", clientId, "client_secret",
				secretOf(clientId), "username", user.username(), "password", user.username() + "-password"))
			.expectStatus().isOk().expectBody().returnResult().getResponseBody()).get("access_token");

		admin().patch().uri("/admin/api/users/" + user.id()).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("active", false)).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.active").isEqualTo(false);

		this.http.get().uri("/Api/V8/module/Accounts").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange().expectStatus().isUnauthorized();
		postForm(form("grant_type", "password", "client_id", clientId, "client_secret", secretOf(clientId), "username",
				user.username(), "password", user.username() + "-password"))
			.expectStatus().isBadRequest();
	}

	/** Issue 13: the pages refused it, the API did not, and an administrator could lock themselves out. */
	@Test
	void userWhenAdministratorDemotesDeactivatesOrDeletesThemselvesThen409AndUnchanged() {
		for (Map<String, Object> change : List.<Map<String, Object>>of(Map.of("admin", false), Map.of("active", false))) {
			admin().patch().uri("/admin/api/users/" + this.admin.id()).contentType(MediaType.APPLICATION_JSON)
				.bodyValue(change).exchange().expectStatus().isEqualTo(409).expectBody()
				.jsonPath("$.error").isEqualTo("conflict")
				.jsonPath("$.error_description").isEqualTo("You cannot deactivate yourself or take away your own administration.");
		}
		admin().delete().uri("/admin/api/users/" + this.admin.id()).exchange().expectStatus().isEqualTo(409)
			.expectBody().jsonPath("$.error_description").isEqualTo("You cannot delete yourself.");

		User stored = this.users.findById(this.admin.id()).block(Duration.ofSeconds(5));
		assertThat(stored.admin()).isTrue();
		assertThat(stored.active()).isTrue();
	}

	@Test
	void userWhenAnotherAdministratorDemotedWhileOthersRemainThenDone() {
		User other = this.users.save(new User(uniqueId("other-admin"), uniqueId("other"), this.hasher.hash("other-password"),
				true, true)).block(Duration.ofSeconds(5));

		admin().patch().uri("/admin/api/users/" + other.id()).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("admin", false)).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.admin").isEqualTo(false);
	}

	/** Issue 13: a missing or malformed query parameter was answered "The request body is not valid JSON…". */
	@Test
	void queryParameterWhenMissingOrMalformedThenNamedInFields() {
		admin().get().uri("/admin/api/consents").exchange().expectStatus().isBadRequest().expectBody()
			.jsonPath("$.error").isEqualTo("invalid_request")
			.jsonPath("$.error_description").isEqualTo("The query parameter 'userId' is required")
			.jsonPath("$.fields.userId").isEqualTo("is required");
		admin().get().uri("/admin/api/clients?page=abc").exchange().expectStatus().isBadRequest().expectBody()
			.jsonPath("$.fields.page").isEqualTo("is not valid");
		admin().post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON).bodyValue("{not json")
			.exchange().expectStatus().isBadRequest().expectBody()
			.jsonPath("$.error_description").isEqualTo("The request body is not valid JSON of the expected shape");
	}

	/** Issue 13, bug 10: deactivating a user silently broke the client_credentials clients acting as that user. */
	@Test
	void userWhenDeactivatedThenTheClientsActingAsThemAreNamed() {
		User service = registerUser(uniqueId("service"), true);
		String clientId = uniqueId("nightly");
		registerClient(clientId, Set.of(GrantType.CLIENT_CREDENTIALS), service.id(), Set.of(), null);

		admin().patch().uri("/admin/api/users/" + service.id()).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("active", false)).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.clientsNowFailing").isEqualTo(List.of("Test client " + clientId));
		admin().patch().uri("/admin/api/users/" + service.id()).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("active", true)).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.clientsNowFailing").doesNotExist();
	}

	/** Issue 13, bug 6: the token filter asked for a raw user id, so "bob" answered "No live tokens". */
	@Test
	void tokensWhenFilteredByUsernameThenThatUsersTokensListedAndRevocable() {
		User bob = registerUser(uniqueId("bob"), true);
		String clientId = uniqueId("bob-app");
		registerClient(clientId, GrantType.PASSWORD);
		postForm(form("grant_type", "password", "client_id", clientId, "client_secret", secretOf(clientId), "username",
				bob.username(), "password", bob.username() + "-password")).expectStatus().isOk();

		admin().get().uri("/admin/api/tokens?userId=" + bob.username()).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].userId").isEqualTo(bob.id());
		admin().delete().uri("/admin/api/tokens?userId=" + bob.username()).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.revoked").isEqualTo(1);
		admin().get().uri("/admin/api/tokens?userId=" + bob.id()).exchange().expectBody().jsonPath("$.total").isEqualTo(0);
	}

	/** Issue 13, bug 7: making a user an administrator was logged only as "Updated user 'frank'". */
	@Test
	void auditWhenUserAndClientChangedThenTheEntriesSayWhatChanged() {
		User frank = registerUser(uniqueId("frank"), true);
		admin().patch().uri("/admin/api/users/" + frank.id()).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("admin", true)).exchange().expectStatus().isOk();
		String clientId = (String) createClient("Audited", List.of("password")).get("id");
		admin().patch().uri("/admin/api/clients/" + clientId).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("grantTypes", List.of("password", "authorization_code"),
					"redirectUris", List.of("https://app.example/cb")))
			.exchange().expectStatus().isOk();

		admin().get().uri("/admin/api/audit?size=200").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.items[?(@.target == '" + frank.id() + "' && @.action == 'user.updated')].detail")
			.isEqualTo(List.of("Updated user '" + frank.username() + "': made an administrator"))
			.jsonPath("$.items[?(@.target == '" + clientId + "' && @.action == 'client.updated')].detail")
			.isEqualTo(List.of("Updated client 'Audited': grant types [password] → [authorization_code, password], "
					+ "redirect URIs [] → [https://app.example/cb]"));
	}

	@Test
	void userWhenCreatedWithTakenUsernameThenConflict() {
		User existing = registerUser(uniqueId("taken"), true);

		Map<String, Object> created = parse(admin().post().uri("/admin/api/users").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", uniqueId("new"))).exchange().expectStatus().isCreated().expectBody()
			.returnResult().getResponseBody());
		assertThat((String) created.get("password")).hasSize(24);
		admin().post().uri("/admin/api/users").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", existing.username().toUpperCase())).exchange()
			.expectStatus().isEqualTo(409).expectBody().jsonPath("$.fields.username").exists();
		admin().get().uri("/admin/api/users/nope").exchange().expectStatus().isNotFound();
	}

	@Test
	void tokensWhenListedUnfilteredThenPagedWithTotalAndBadPagingRefused() {
		clientCredentialsToken();
		clientCredentialsToken();

		Map<String, Object> page = parse(admin().get().uri("/admin/api/tokens?page=0&size=1").exchange()
			.expectStatus().isOk().expectBody().returnResult().getResponseBody());

		assertThat((List<?>) page.get("items")).hasSize(1);
		assertThat(((Number) page.get("total")).longValue()).isGreaterThanOrEqualTo(2);
		admin().get().uri("/admin/api/tokens?size=0").exchange().expectStatus().isBadRequest().expectBody()
			.jsonPath("$.fields.size").exists();
		admin().get().uri("/admin/api/tokens?clientId=a&userId=b").exchange().expectStatus().isBadRequest();
	}

	@Test
	void consentsWhenListedAndWithdrawnThenGone() {
		String clientId = uniqueId("web");
		User user = registerUser(uniqueId("consenting"), true);
		this.consents.save(new dev.portcullis.oauth2.Consent(clientId, user.id(), Set.of(), java.time.Instant.now()))
			.block(Duration.ofSeconds(5));

		admin().get().uri("/admin/api/consents?userId=" + user.id()).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.items[0].clientId").isEqualTo(clientId).jsonPath("$.total").isEqualTo(1);
		admin().delete().uri("/admin/api/consents?userId=" + user.id() + "&clientId=" + clientId).exchange()
			.expectStatus().isNoContent();
		admin().get().uri("/admin/api/consents?userId=" + user.id()).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.items.length()").isEqualTo(0).jsonPath("$.total").isEqualTo(0);
		admin().delete().uri("/admin/api/consents?userId=" + user.id() + "&clientId=" + clientId).exchange()
			.expectStatus().isNotFound();
	}

	@Test
	void codesWhenPendingThenListedAndRevocable() {
		String codeHash = dev.portcullis.support.TokenHashing.sha256Hex(uniqueId("code"));
		java.time.Instant now = java.time.Instant.now();
		this.codes.issue(codeHash, new dev.portcullis.oauth2.AuthorizationCode("web-client", "user-x", null, Set.of(),
				null, null, now, now.plus(Duration.ofMinutes(10)))).block(Duration.ofSeconds(5));

		admin().get().uri("/admin/api/codes?size=200").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.items[?(@.codeHash == '" + codeHash + "')].clientId").isEqualTo(List.of("web-client"));
		admin().delete().uri("/admin/api/codes/" + codeHash).exchange().expectStatus().isNoContent();
		admin().delete().uri("/admin/api/codes/" + codeHash).exchange().expectStatus().isNotFound();
		assertThat(this.codes.findConsumed(codeHash).block(Duration.ofSeconds(5))).as("a replay counts as reuse").isEmpty();
	}

	private Map<String, Object> createClient(String name, List<String> grantTypes) {
		return parse(admin().post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", name, "grantTypes", grantTypes)).exchange().expectStatus().isCreated()
			.expectBody().returnResult().getResponseBody());
	}

	private long clientCount() {
		return this.clients.findAll().count().block(Duration.ofSeconds(5));
	}

	private WebTestClient admin() {
		return this.http.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, this.adminBasic).build();
	}

}
