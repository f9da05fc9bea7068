package dev.portcullis.admin;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.portcullis.config.BootstrapRunner;
import dev.portcullis.config.PortcullisProperties;
import dev.portcullis.fixtures.TestAdministration;
import dev.portcullis.store.inmemory.InMemoryClientStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;
import dev.portcullis.support.PageSession;
import dev.portcullis.support.TestGateways;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client policy, three adapters: the same clients fed to bootstrap, the admin API and the admin pages get the
 * same answer from each. Before, bootstrap accepted a {@code javascript:} redirect URI the API refused, and the API
 * refused the README's own {@code demo-secret} that bootstrap accepted.
 */
class ClientPolicyAcrossAdaptersIntegrationTests {

	private static ConfigurableApplicationContext gateway;

	private static PageSession pages;

	@BeforeAll
	static void start() {
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.secrets.bcrypt-strength=4", "portcullis.bootstrap.users[0].username=policy-admin",
				"portcullis.bootstrap.users[0].password=policy-admin-password",
				"portcullis.bootstrap.users[0].admin=true",
				// backend credentials a client may name; nothing is asked of them here
				"portcullis.upstream.credentials.crm.token-uri=http://127.0.0.1:1/Api/access_token",
				"portcullis.upstream.credentials.crm.client-id=gateway",
				"portcullis.upstream.credentials.crm.client-secret=gateway-secret",
				"portcullis.upstream.credentials.sales.token-uri=http://127.0.0.1:1/Api/access_token",
				"portcullis.upstream.credentials.sales.client-id=gateway-sales",
				"portcullis.upstream.credentials.sales.client-secret=gateway-secret"));
		pages = PageSession.signIn(TestGateways.client(gateway), "policy-admin", "policy-admin-password");
	}

	@AfterAll
	static void stop() {
		gateway.close();
	}

	/** A client as an administrator would describe it: one kind (grant), a secret or none, redirect URIs, scopes. */
	record Described(String kind, String secret, List<String> redirectUris, List<String> scopes,
			boolean listsRefreshToken, @Nullable Boolean refreshTokens, boolean introspection,
			@Nullable String backendCredential) {

		Described(String kind, String secret, List<String> redirectUris, List<String> scopes,
				boolean listsRefreshToken, @Nullable Boolean refreshTokens, boolean introspection) {
			this(kind, secret, redirectUris, scopes, listsRefreshToken, refreshTokens, introspection, null);
		}

		Described(String kind, String secret, List<String> redirectUris, List<String> scopes) {
			this(kind, secret, redirectUris, scopes, false, null);
		}

		Described(String kind, String secret, List<String> redirectUris, List<String> scopes,
				boolean listsRefreshToken, @Nullable Boolean refreshTokens) {
			this(kind, secret, redirectUris, scopes, listsRefreshToken, refreshTokens, false);
		}

		Described withIntrospection() {
			return new Described(this.kind, this.secret, this.redirectUris, this.scopes, this.listsRefreshToken,
					this.refreshTokens, true);
		}

		Described withBackendCredential(String name) {
			return new Described(this.kind, this.secret, this.redirectUris, this.scopes, this.listsRefreshToken,
					this.refreshTokens, this.introspection, name);
		}

		List<String> grantTypes() {
			return this.listsRefreshToken ? List.of(this.kind, "refresh_token") : List.of(this.kind);
		}

	}

	static Stream<Arguments> clients() {
		List<String> manyScopes = IntStream.rangeClosed(1, ClientPolicy.MAX_SCOPES + 1).mapToObj((i) -> "s" + i).toList();
		// @formatter:off
		return Stream.of(
				Arguments.of("the README's demo secret", new Described("client_credentials", "demo-secret", List.of(), List.of()), true),
				Arguments.of("a 7-character secret", new Described("client_credentials", "short12", List.of(), List.of()), false),
				Arguments.of("an https redirect URI", new Described("authorization_code", "web-app-secret", List.of("https://app.example/cb"), List.of()), true),
				Arguments.of("a javascript: redirect URI", new Described("authorization_code", "web-app-secret", List.of("javascript://x.example/%0aalert(4)"), List.of()), false),
				Arguments.of("a data: redirect URI", new Described("authorization_code", "web-app-secret", List.of("data:text/html,x"), List.of()), false),
				Arguments.of("plain http to a public host", new Described("authorization_code", "web-app-secret", List.of("http://app.example/cb"), List.of()), false),
				Arguments.of("plain http to loopback, any port", new Described("authorization_code", "", List.of("http://127.0.0.1:8400/cb"), List.of()), true),
				Arguments.of("a native app's private-use scheme", new Described("authorization_code", "", List.of("com.example.app:/callback"), List.of()), true),
				Arguments.of("a scope with a quote", new Described("client_credentials", "scoped-secret", List.of(), List.of("a\"b")), false),
				Arguments.of("too many scopes", new Described("client_credentials", "scoped-secret", List.of(), manyScopes), false),
				Arguments.of("allowed scopes", new Described("client_credentials", "scoped-secret", List.of(), List.of("crm.read", "crm.write")), true),
				Arguments.of("refresh_token beside password", new Described("password", "app-secret-12", List.of(), List.of(), true, null), true),
				Arguments.of("refresh_token beside authorization_code", new Described("authorization_code", "", List.of("http://127.0.0.1:8400/cb"), List.of(), true, null), true),
				Arguments.of("refresh_token beside client_credentials only (inert)", new Described("client_credentials", "sync-secret-1", List.of(), List.of(), true, null), true),
				Arguments.of("refresh_token alone", new Described("refresh_token", "app-secret-12", List.of(), List.of()), false),
				Arguments.of("refresh tokens turned off", new Described("password", "app-secret-12", List.of(), List.of(), false, false), true),
				Arguments.of("introspection for a confidential client (a resource server)", new Described("client_credentials", "resource-secret", List.of(), List.of()).withIntrospection(), true),
				Arguments.of("introspection for a public client", new Described("authorization_code", "", List.of("http://127.0.0.1:8400/cb"), List.of()).withIntrospection(), false),
				Arguments.of("a configured backend credential", new Described("client_credentials", "sales-secret-1", List.of(), List.of()).withBackendCredential("sales"), true),
				Arguments.of("an unknown backend credential", new Described("client_credentials", "sales-secret-1", List.of(), List.of()).withBackendCredential("salse"), false));
		// @formatter:on
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clients")
	void clientWhenFedToEveryAdapterThenTheSameAnswer(String description, Described client, boolean accepted) {
		assertThat(bootstrapAccepts(client)).as("bootstrap").isEqualTo(accepted);
		assertThat(apiAccepts(client)).as("the admin API").isEqualTo(accepted);
		assertThat(pagesAccept(client)).as("the admin pages").isEqualTo(accepted);
	}

	/** Issue 13, bug 4: redirect URIs typed into a client-credentials client were dropped without a word. */
	@ParameterizedTest(name = "{0}")
	@MethodSource("irrelevantInput")
	void newClientWhenInputMeansNothingForItsKindThenRefusedByTheApiAndThePagesNotDropped(String description,
			Described client, String associatedUser, String field) {
		Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "Irrelevant", "grantTypes", List.of(client.kind()),
				"redirectUris", client.redirectUris(), "associatedUser", associatedUser));
		if (!client.secret().isEmpty()) {
			body.put("secret", client.secret());
		}
		else {
			body.put("confidential", false);
		}
		TestGateways.client(gateway).post().uri("/admin/api/clients").header(HttpHeaders.AUTHORIZATION, adminBasic())
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.fields." + field).exists();

		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("name", "Irrelevant");
		form.add("kind", client.kind());
		if (!client.secret().isEmpty()) {
			form.add("confidential", "on");
			form.add("secret", client.secret());
		}
		form.add("redirectUris", String.join("\n", client.redirectUris()));
		form.add("associatedUser", associatedUser);
		EntityExchangeResult<String> answer = pages.submit("/admin/clients/new", "/admin/clients", form);
		assertThat(answer.getStatus().value()).isEqualTo(400);
		assertThat(answer.getResponseBody()).as("the form again, saying why, with what was typed")
			.contains("leave this empty")
			.contains(client.redirectUris().isEmpty() ? associatedUser : client.redirectUris().get(0));
	}

	static Stream<Arguments> irrelevantInput() {
		// @formatter:off
		return Stream.of(
				Arguments.of("redirect URIs on a client_credentials client", new Described("client_credentials", "sync-secret-1", List.of("https://app.example/cb"), List.of()), "", "redirectUris"),
				Arguments.of("redirect URIs on a password client", new Described("password", "app-secret-12", List.of("https://app.example/cb"), List.of()), "", "redirectUris"),
				Arguments.of("an associated user on a code client", new Described("authorization_code", "", List.of("https://app.example/cb"), List.of()), "policy-admin", "associatedUser"));
		// @formatter:on
	}

	/** Issue 13: refresh tokens off while refresh_token is listed says two things; bootstrap and the API refuse it. */
	@org.junit.jupiter.api.Test
	void refreshTokensWhenOffWhileRefreshTokenListedThenRefusedByBootstrapAndTheApi() {
		Described contradictory = new Described("password", "app-secret-12", List.of(), List.of(), true, false);

		assertThat(bootstrapAccepts(contradictory)).as("bootstrap").isFalse();
		Map<String, Object> body = Map.of("name", "Contradictory", "grantTypes", contradictory.grantTypes(), "secret",
				"app-secret-12", "refreshTokens", false);
		TestGateways.client(gateway).post().uri("/admin/api/clients").header(HttpHeaders.AUTHORIZATION, adminBasic())
			.contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.fields.refreshTokens").exists();
	}

	/** Issue 13: the box on the pages turns refresh tokens off and on, and the API shows the setting. */
	@org.junit.jupiter.api.Test
	void refreshTokensWhenUntickedOnThePagesThenOffInTheApiAndTheEditFormTurnsThemOnAgain() {
		WebTestClient api = TestGateways.client(gateway).mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, adminBasic()).build();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("name", "No refresh");
		form.add("kind", "password");
		form.add("confidential", "on");
		form.add("secret", "no-refresh-secret");
		form.add("_refreshTokens", "on");
		EntityExchangeResult<String> created = pages.submit("/admin/clients/new", "/admin/clients", form);
		assertThat(created.getStatus().is3xxRedirection()).as(created.getResponseBody()).isTrue();
		String location = created.getResponseHeaders().getLocation().getPath();
		String id = location.substring(location.lastIndexOf('/') + 1);
		api.get().uri("/admin/api/clients/" + id).exchange().expectBody().jsonPath("$.refreshTokens").isEqualTo(false);
		assertThat(pages.get("/admin/clients/" + id).getResponseBody()).contains("Refresh tokens").contains(">off<");

		api.patch().uri("/admin/api/clients/" + id).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("grantTypes", List.of("password", "refresh_token"), "refreshTokens", true))
			.exchange().expectStatus().isOk();
		MultiValueMap<String, String> edit = new LinkedMultiValueMap<>();
		edit.add("name", "No refresh");
		edit.add("grantTypes", "password");
		edit.add("confidential", "on");
		edit.add("_refreshTokens", "on");
		edit.add("refreshTokens", "true");
		EntityExchangeResult<String> saved = pages.submit("/admin/clients/" + id + "/edit", "/admin/clients/" + id + "/edit", edit);
		assertThat(saved.getStatus().is3xxRedirection()).as(saved.getResponseBody()).isTrue();
		api.get().uri("/admin/api/clients/" + id).exchange().expectBody()
			.jsonPath("$.refreshTokens").isEqualTo(true)
			.jsonPath("$.grantTypes").isEqualTo(List.of("password", "refresh_token"));
	}

	/** Issue 14: the introspection box on the pages, the API's field and the client's page say the same. */
	@org.junit.jupiter.api.Test
	void introspectionWhenTickedOnThePagesThenOnInTheApiAndOnTheClientsPageAndUntickedTurnsItOff() {
		WebTestClient api = TestGateways.client(gateway).mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, adminBasic()).build();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("name", "Resource server");
		form.add("kind", "client_credentials");
		form.add("confidential", "on");
		form.add("secret", "resource-server-secret");
		form.add("_introspection", "on");
		form.add("introspection", "true");
		EntityExchangeResult<String> created = pages.submit("/admin/clients/new", "/admin/clients", form);
		assertThat(created.getStatus().is3xxRedirection()).as(created.getResponseBody()).isTrue();
		String location = created.getResponseHeaders().getLocation().getPath();
		String id = location.substring(location.lastIndexOf('/') + 1);
		api.get().uri("/admin/api/clients/" + id).exchange().expectBody().jsonPath("$.introspection").isEqualTo(true);
		assertThat(pages.get("/admin/clients/" + id).getResponseBody()).contains("Token introspection")
			.contains("allowed (POST /oauth2/introspect)");
		assertThat(pages.get("/admin/clients/" + id + "/edit").getResponseBody())
			.containsPattern("id=\"introspection\"[^>]*checked");

		MultiValueMap<String, String> edit = new LinkedMultiValueMap<>();
		edit.add("name", "Resource server");
		edit.add("grantTypes", "client_credentials");
		edit.add("confidential", "on");
		edit.add("_introspection", "on");
		EntityExchangeResult<String> saved = pages.submit("/admin/clients/" + id + "/edit", "/admin/clients/" + id + "/edit", edit);
		assertThat(saved.getStatus().is3xxRedirection()).as(saved.getResponseBody()).isTrue();
		api.get().uri("/admin/api/clients/" + id).exchange().expectBody().jsonPath("$.introspection").isEqualTo(false);
		assertThat(pages.get("/admin/clients/" + id).getResponseBody()).contains("not allowed");

		api.patch().uri("/admin/api/clients/" + id).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("introspection", true)).exchange().expectStatus().isOk();
		api.patch().uri("/admin/api/clients/" + id).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("confidential", false)).exchange().expectStatus().isBadRequest()
			.expectBody().jsonPath("$.fields.introspection").exists();
	}

	/** Issue 15: a client naming a backend credential the gateway does not have is told which ones it has. */
	@org.junit.jupiter.api.Test
	void backendCredentialWhenUnknownThenEachAdapterNamesTheField() {
		Described misspelt = new Described("client_credentials", "sales-secret-1", List.of(), List.of())
			.withBackendCredential("salse");

		assertThat(bootstrapRefusal(misspelt)).hasMessageContaining("portcullis.bootstrap.clients 'Bootstrapped'")
			.hasMessageContaining("backend-credential: 'salse' is not one of the backend credentials [crm, sales]");
		TestGateways.client(gateway).post().uri("/admin/api/clients").header(HttpHeaders.AUTHORIZATION, adminBasic())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Misspelt", "grantTypes", List.of("client_credentials"), "secret", "sales-secret-1",
					"backendCredential", "salse"))
			.exchange().expectStatus().isBadRequest().expectBody()
			.jsonPath("$.fields.backendCredential").value((String problem) -> assertThat(problem).contains("[crm, sales]"));
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("name", "Misspelt");
		form.add("kind", "client_credentials");
		form.add("confidential", "on");
		form.add("secret", "sales-secret-1");
		form.add("backendCredential", "salse");
		EntityExchangeResult<String> answer = pages.submit("/admin/clients/new", "/admin/clients", form);
		assertThat(answer.getStatus().value()).isEqualTo(400);
		assertThat(answer.getResponseBody()).contains("id=\"error-backendCredential\"").contains("[crm, sales]");
	}

	/** Issue 13, bug 2: the new-client form said an empty scope list means all; it means none. */
	@org.junit.jupiter.api.Test
	void newClientFormWhenShownThenSaysEmptyScopesMeanNone() {
		String page = pages.get("/admin/clients/new").getResponseBody();

		assertThat(page).contains("empty for none").doesNotContain("empty for all");
	}

	/** Issue 13, bug 3: a lifetime, once set, could not go back to the gateway's default. */
	@org.junit.jupiter.api.Test
	void lifetimeWhenClearedInTheEditFormOrSetToZeroInTheApiThenTheDefaultAgain() {
		WebTestClient api = TestGateways.client(gateway).mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, adminBasic()).build();
		String id = (String) TestGateways.parse(api.post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Short-lived", "grantTypes", List.of("password"), "secret", "short-lived-secret",
					"accessTokenTtl", "PT5M", "refreshTokenTtl", "P2D"))
			.exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody()).get("id");

		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("name", "Short-lived");
		form.add("grantTypes", "password");
		form.add("confidential", "on");
		form.add("accessTokenTtl", "");
		form.add("refreshTokenTtl", "P2D");
		EntityExchangeResult<String> saved = pages.submit("/admin/clients/" + id + "/edit", "/admin/clients/" + id + "/edit", form);
		assertThat(saved.getStatus().is3xxRedirection()).as(saved.getResponseBody()).isTrue();
		api.get().uri("/admin/api/clients/" + id).exchange().expectBody()
			.jsonPath("$.accessTokenTtl").doesNotExist().jsonPath("$.refreshTokenTtl").isEqualTo("PT48H");

		api.patch().uri("/admin/api/clients/" + id).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Still short-lived")).exchange().expectBody()
			.jsonPath("$.refreshTokenTtl").isEqualTo("PT48H");
		api.patch().uri("/admin/api/clients/" + id).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshTokenTtl", "PT0S")).exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.refreshTokenTtl").doesNotExist();
		api.patch().uri("/admin/api/clients/" + id).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshTokenTtl", "-PT1S")).exchange().expectStatus().isBadRequest();
	}

	/** Issue 13, bug 1: "Rotate secret" on a public (PKCE) client silently made it confidential, breaking its app. */
	@org.junit.jupiter.api.Test
	void secretWhenGivenToAPublicClientThenOnlyWhenAskedExplicitlyAndThePageSaysWhatItDoes() {
		WebTestClient api = TestGateways.client(gateway).mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, adminBasic()).build();
		String id = (String) TestGateways.parse(api.post().uri("/admin/api/clients").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "Mobile app", "grantTypes", List.of("authorization_code"), "confidential", false,
					"redirectUris", List.of("com.example.app:/callback")))
			.exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody()).get("id");

		api.post().uri("/admin/api/clients/" + id + "/secret").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
			.exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.fields.confidential").exists();
		api.get().uri("/admin/api/clients/" + id).exchange().expectBody().jsonPath("$.confidential").isEqualTo(false);

		EntityExchangeResult<String> page = pages.get("/admin/clients/" + id);
		assertThat(page.getResponseBody()).contains("Make it confidential").contains("its app must send")
			.contains("Give it a secret and make it confidential");
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("confidential", "true");
		EntityExchangeResult<String> given = pages.submitWithTokenFrom(page, "/admin/clients/" + id + "/secret", form);
		assertThat(given.getStatus().is3xxRedirection()).isTrue();
		api.get().uri("/admin/api/clients/" + id).exchange().expectBody().jsonPath("$.confidential").isEqualTo(true);
		assertThat(pages.get("/admin/clients/" + id).getResponseBody()).contains("Rotate secret")
			.doesNotContain("Make it confidential");
	}

	private static String adminBasic() {
		return "Basic " + Base64.getEncoder()
			.encodeToString("policy-admin:policy-admin-password".getBytes(StandardCharsets.UTF_8));
	}

	private static boolean bootstrapAccepts(Described client) {
		IllegalStateException refused = bootstrapRefusal(client);
		if (refused != null) {
			assertThat(refused).hasMessageContaining("portcullis.bootstrap.clients 'Bootstrapped'");
		}
		return refused == null;
	}

	/** What bootstrap says of the client at start: nothing when it takes it. */
	private static @Nullable IllegalStateException bootstrapRefusal(Described client) {
		PortcullisProperties properties = new PortcullisProperties();
		PortcullisProperties.BootstrapClient configured = new PortcullisProperties.BootstrapClient();
		configured.setName("Bootstrapped");
		configured.setGrantTypes(new LinkedHashSet<>(client.grantTypes()));
		configured.setRefreshTokens(client.refreshTokens());
		configured.setIntrospection(client.introspection());
		configured.setBackendCredential(client.backendCredential());
		configured.setSecret(client.secret().isEmpty() ? null : client.secret());
		configured.setRedirectUris(client.redirectUris().stream().map(URI::create).toList());
		configured.setScopes(new LinkedHashSet<>(client.scopes()));
		properties.getBootstrap().getClients().add(configured);
		properties.getBootstrap().getFirstAdmin().setPassword("first-admin-password");
		TestAdministration administration = TestAdministration.over(new InMemoryClientStore(), new InMemoryUserStore(),
				gateway.getBean(ClientPolicy.class));
		BootstrapRunner bootstrap = new BootstrapRunner(properties, administration.clients(), administration.users());
		try {
			bootstrap.afterSingletonsInstantiated();
			return null;
		}
		catch (IllegalStateException refused) {
			return refused;
		}
	}

	private static boolean apiAccepts(Described client) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", "Via the API");
		body.put("grantTypes", client.grantTypes());
		if (client.refreshTokens() != null) {
			body.put("refreshTokens", client.refreshTokens());
		}
		if (client.introspection()) {
			body.put("introspection", true);
		}
		if (client.backendCredential() != null) {
			body.put("backendCredential", client.backendCredential());
		}
		body.put("confidential", !client.secret().isEmpty());
		if (!client.secret().isEmpty()) {
			body.put("secret", client.secret());
		}
		body.put("redirectUris", client.redirectUris());
		body.put("scopes", client.scopes());
		int status = TestGateways.client(gateway).post().uri("/admin/api/clients")
			.header(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder()
				.encodeToString("policy-admin:policy-admin-password".getBytes(StandardCharsets.UTF_8)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value();
		assertThat(status).as("201 or 400").isIn(201, 400);
		return status == 201;
	}

	private static boolean pagesAccept(Described client) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("name", "Via the pages");
		form.add("kind", client.kind());
		// the one box says both: ticked (as the form comes) lists refresh_token, unticked turns refresh tokens off
		form.add("_refreshTokens", "on");
		if (!Boolean.FALSE.equals(client.refreshTokens())) {
			form.add("refreshTokens", "true");
		}
		form.add("_introspection", "on");
		if (client.introspection()) {
			form.add("introspection", "true");
		}
		form.add("backendCredential", (client.backendCredential() != null) ? client.backendCredential() : "");
		if (!client.secret().isEmpty()) {
			form.add("confidential", "on");
			form.add("secret", client.secret());
		}
		form.add("redirectUris", String.join("\n", client.redirectUris()));
		form.add("scopes", String.join(" ", client.scopes()));
		EntityExchangeResult<String> answer = pages.submit("/admin/clients/new", "/admin/clients", form);
		assertThat(answer.getStatus().value()).as("a redirect to the new client, or the form again").isIn(302, 303, 400);
		return answer.getStatus().is3xxRedirection();
	}

}
