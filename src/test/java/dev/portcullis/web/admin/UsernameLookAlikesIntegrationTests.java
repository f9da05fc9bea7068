package dev.portcullis.web.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.portcullis.support.PageSession;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: usernames under RFC 8265's UsernameCaseMapped profile. Each look-alike of an existing user that was
 * accepted as a new user before is refused by the API and the pages with a field error, either because it maps onto
 * the existing name ("taken") or because it holds a character the profile disallows; and the existing user signs in
 * with any spelling that maps to their name.
 */
class UsernameLookAlikesIntegrationTests {

	private static ConfigurableApplicationContext gateway;

	private static PageSession pages;

	@BeforeAll
	static void start() {
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.secrets.bcrypt-strength=4", "portcullis.bootstrap.users[0].username=boss",
				"portcullis.bootstrap.users[0].password=boss-password", "portcullis.bootstrap.users[0].admin=true",
				"portcullis.bootstrap.users[1].username=alice", "portcullis.bootstrap.users[1].password=alice-password",
				"portcullis.bootstrap.users[2].username=root", "portcullis.bootstrap.users[2].password=root-password",
				"portcullis.bootstrap.users[3].username=Jos\u00e9", "portcullis.bootstrap.users[3].password=jose-password",
				"portcullis.bootstrap.users[4].username=mary.ann", "portcullis.bootstrap.users[4].password=mary-password",
				"portcullis.bootstrap.clients[0].id=app", "portcullis.bootstrap.clients[0].name=App",
				"portcullis.bootstrap.clients[0].secret=app-secret-123",
				"portcullis.bootstrap.clients[0].grant-types=password"));
		pages = PageSession.signIn(TestGateways.client(gateway), "boss", "boss-password");
	}

	@AfterAll
	static void stop() {
		gateway.close();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "\uff41\uff4c\uff49\uff43\uff45", "ALICE", "alice\u200b", "al\u200dice", "\u202eroot",
			"root\u202c", "mary\u00a0ann", "mary ann", "Jose\u0301", "JOS\u00c9", "\ud835\udc1a\ud835\udc25\ud835\udc22\ud835\udc1c\ud835\udc1e" })
	void registerWhenALookAlikeOfAnExistingUserThenRefusedByTheApiAndThePagesWithAFieldError(String lookAlike) {
		TestGateways.client(gateway).post().uri("/admin/api/users")
			.header(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder()
				.encodeToString("boss:boss-password".getBytes(StandardCharsets.UTF_8)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", lookAlike))
			.exchange()
			.expectStatus().value((status) -> assertThat(status).isIn(400, 409))
			.expectBody().jsonPath("$.fields.username").isNotEmpty();

		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("username", lookAlike);
		form.add("active", "on");
		EntityExchangeResult<String> answer = pages.submit("/admin/users/new", "/admin/users", form);
		assertThat(answer.getStatus().value()).isEqualTo(400);
		assertThat(answer.getResponseBody()).containsAnyOf("is already taken", "must not contain");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "\uff41\uff4c\uff49\uff43\uff45", "Alice", "ALICE" })
	void passwordGrantWhenAnySpellingThatMapsToTheNameThenSignedIn(String spelling) {
		TestGateways.client(gateway).post().uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=password&client_id=app&client_secret=app-secret-123&username="
					+ java.net.URLEncoder.encode(spelling, StandardCharsets.UTF_8) + "&password=alice-password")
			.exchange()
			.expectStatus().isOk();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "Jose\u0301", "jos\u00e9" })
	void passwordGrantWhenTheOtherUnicodeSpellingThenSignedIn(String spelling) {
		TestGateways.client(gateway).post().uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=password&client_id=app&client_secret=app-secret-123&username="
					+ java.net.URLEncoder.encode(spelling, StandardCharsets.UTF_8) + "&password=jose-password")
			.exchange()
			.expectStatus().isOk();
	}

	@org.junit.jupiter.api.Test
	void passwordGrantWhenAnInvisibleCharacterIsAddedThenNotTheUser() {
		TestGateways.client(gateway).post().uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=password&client_id=app&client_secret=app-secret-123&username="
					+ java.net.URLEncoder.encode("alice\u200b", StandardCharsets.UTF_8) + "&password=alice-password")
			.exchange()
			.expectStatus().isBadRequest();
	}

}
