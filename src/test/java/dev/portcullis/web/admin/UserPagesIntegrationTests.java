package dev.portcullis.web.admin;

import java.util.List;
import java.util.Map;

import dev.portcullis.support.PageSession;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user pages as an administrator and as someone who is not one (issue 13, bugs 8 and 10).
 */
class UserPagesIntegrationTests {

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.secrets.bcrypt-strength=4", "portcullis.bootstrap.users[0].username=boss",
				"portcullis.bootstrap.users[0].password=boss-password", "portcullis.bootstrap.users[0].admin=true",
				"portcullis.bootstrap.users[1].username=clerk", "portcullis.bootstrap.users[1].password=clerk-password",
				"portcullis.bootstrap.clients[0].id=nightly-sync", "portcullis.bootstrap.clients[0].name=Nightly sync",
				"portcullis.bootstrap.clients[0].secret=nightly-sync-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials",
				"portcullis.bootstrap.clients[0].associated-user=clerk"));
	}

	@AfterAll
	static void stop() {
		gateway.close();
	}

	/** Bug 10: deactivating a user silently broke the client_credentials clients that act as that user. */
	@Test
	void deactivateWhenClientsActAsTheUserThenThePageNamesThem() {
		PageSession boss = PageSession.signIn(TestGateways.client(gateway), "boss", "boss-password");
		String users = boss.get("/admin/users").getResponseBody();
		String clerkPage = users.replaceAll("(?s).*href=\"(/admin/users/[^\"]+)\"[^>]*>clerk<.*", "$1");
		assertThat(clerkPage).startsWith("/admin/users/");

		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("active", "false");
		EntityExchangeResult<String> saved = boss.submit(clerkPage, clerkPage + "/flags", form);
		assertThat(saved.getStatus().is3xxRedirection()).isTrue();

		assertThat(boss.get(clerkPage).getResponseBody()).contains("is inactive")
			.contains("These clients act as this user and get no tokens until it is active again: Nightly sync.");
		boss.submit(clerkPage, clerkPage + "/flags", new LinkedMultiValueMap<>(Map.of("active", List.of("true"))));
	}

	@Test
	void adminPagesWhenSignedInAsNoAdministratorThenNotAllowedWithASignOutThatLetsAnotherUserIn() {
		WebTestClient http = TestGateways.client(gateway);
		PageSession browser = PageSession.anonymous(http);
		browser.logIn("clerk", "clerk-password");

		EntityExchangeResult<String> forbidden = browser.get("/admin/clients");
		assertThat(forbidden.getStatus().value()).isEqualTo(403);
		assertThat(forbidden.getResponseBody()).contains("Not allowed").contains("action=\"/logout\"")
			.contains(">Sign out</button>");

		EntityExchangeResult<String> signedOut = browser.submitWithTokenFrom(forbidden, "/logout",
				new LinkedMultiValueMap<>());
		assertThat(signedOut.getResponseHeaders().getLocation()).hasToString("/login?logout");
		assertThat(browser.get("/admin/clients").getStatus().is3xxRedirection()).as("signed out").isTrue();

		browser.logIn("boss", "boss-password");
		assertThat(browser.get("/admin/clients").getStatus().value()).isEqualTo(200);
	}

}
