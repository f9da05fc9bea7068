package dev.portcullis.web.admin;

import java.util.List;

import dev.portcullis.support.PageSession;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, bug 8: a signed-in user who is no administrator got "Not allowed" with no way to sign out or switch user.
 */
class ForbiddenPageIntegrationTests {

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.secrets.bcrypt-strength=4", "portcullis.bootstrap.users[0].username=boss",
				"portcullis.bootstrap.users[0].password=boss-password", "portcullis.bootstrap.users[0].admin=true",
				"portcullis.bootstrap.users[1].username=clerk", "portcullis.bootstrap.users[1].password=clerk-password"));
	}

	@AfterAll
	static void stop() {
		gateway.close();
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
