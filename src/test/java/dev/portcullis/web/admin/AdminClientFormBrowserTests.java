package dev.portcullis.web.admin;

import java.io.IOException;
import java.util.List;

import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.user.User;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client form in the browser (issue 13, "a user picker for a client's associated user"; "the same model on create
 * and edit"): the associated user is picked from the usernames, a username is accepted, and the new and edit forms
 * show the same fields, the edit form without the secret; the backend credential is chosen from the configured ones
 * (issue 15).
 */
@TestPropertySource(properties = { "portcullis.upstream.credentials.crm.token-uri=http://127.0.0.1:1/Api/access_token",
		"portcullis.upstream.credentials.crm.client-id=gateway", "portcullis.upstream.credentials.crm.client-secret=secret",
		"portcullis.upstream.credentials.sales.token-uri=http://127.0.0.1:1/Api/access_token",
		"portcullis.upstream.credentials.sales.client-id=gateway-sales",
		"portcullis.upstream.credentials.sales.client-secret=secret" })
class AdminClientFormBrowserTests extends AdminBrowserTestSupport {

	private static final List<String> SHARED_FIELDS = List.of("name", "confidential", "associatedUser", "redirectUris",
			"refreshTokens", "signingAlgorithm", "scopes", "accessTokenTtl", "refreshTokenTtl");

	@Test
	void theAssociatedUserIsPickedByUsernameAndTheNewAndEditFormsShareTheirFields() {
		User admin = registerAdmin();
		User worker = registerUser(uniqueId("worker"), true);
		openSignedIn("/admin/clients/new", admin, "New client");
		assertThat(SHARED_FIELDS).allSatisfy((id) -> assertThat(byId(id).isDisplayed()).isTrue());
		assertThat(byId("secret").isDisplayed()).isTrue();
		WebElement picker = byId("associatedUser");
		assertThat(picker.getAttribute("list")).isEqualTo("usernames");
		assertThat(this.driver.findElements(By.cssSelector("#usernames option")))
			.extracting((option) -> option.getAttribute("value"))
			.contains(worker.username(), admin.username());

		String name = "Picked " + uniqueId("p").substring(2, 10);
		byId("name").sendKeys(name);
		byId("kind-client-credentials").click();
		picker.sendKeys(worker.username());
		clickAndAwait("create-client", name);
		String clientId = byId("client-id").getText();
		RegisteredClient saved = this.clients.findById(clientId).block(WAIT);
		assertThat(saved.associatedUserId()).isEqualTo(worker.id());

		open("/admin/clients/" + clientId + "/edit", "Edit " + name);
		assertThat(SHARED_FIELDS).allSatisfy((id) -> assertThat(byId(id).isDisplayed()).isTrue());
		assertThat(this.driver.findElements(By.id("secret"))).isEmpty();
		assertThat(byId("associatedUser").getAttribute("list")).isEqualTo("usernames");
		assertThat(byId("associatedUser").getAttribute("value")).as("the user by name, not the stored id")
			.isEqualTo(worker.username());
		assertThat(byId("grant-client-credentials").isSelected()).isTrue();
		// the attack: while the form is open, the worker is renamed and another user takes the name; saved unchanged,
		// the form keeps the user the client acts as, not whoever has the name now
		this.users.save(new User(worker.id(), worker.username() + "-renamed", worker.passwordHash(), true, false))
			.block(WAIT);
		User namesake = registerUser(worker.username(), true);
		clickAndAwait("save-client", name);
		assertThat(this.clients.findById(clientId).block(WAIT).associatedUserId()).isEqualTo(worker.id())
			.isNotEqualTo(namesake.id());
		open("/admin/clients/" + clientId + "/edit", "Edit " + name);

		// a name that is nobody's: the field is marked, as on the API
		byId("associatedUser").clear();
		byId("associatedUser").sendKeys(uniqueId("nobody"));
		clickAndAwait("save-client", "Edit " + name);
		assertThat(byId("associatedUser").getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(byId("associatedUser").getAttribute("aria-describedby")).isEqualTo("error-associatedUser");
		assertThat(byId("error-associatedUser").getText()).isNotEmpty();
	}

	@Test
	void theBackendCredentialIsChosenFromTheConfiguredOnesAndShownOnTheClientsPage() throws IOException {
		User admin = registerAdmin();
		openSignedIn("/admin/clients/new", admin, "New client");
		Select credential = new Select(byId("backendCredential"));
		assertThat(credential.getOptions()).extracting(WebElement::getText)
			.containsExactly("Route default", "crm", "sales");
		assertThat(credential.getFirstSelectedOption().getText()).isEqualTo("Route default");

		String name = "Sales sync " + uniqueId("s").substring(2, 10);
		byId("name").sendKeys(name);
		byId("kind-client-credentials").click();
		credential.selectByValue("sales");
		clickAndAwait("create-client", name);
		assertThat(byId("backend-credential").getText()).isEqualTo("sales");
		String clientId = byId("client-id").getText();
		assertThat(this.clients.findById(clientId).block(WAIT).tokenSettings().backendCredential()).isEqualTo("sales");

		assertFitsAndScreenshot("client-backend-credential");
		open("/admin/clients/" + clientId + "/edit", "Edit " + name);
		js("arguments[0].scrollIntoView({block: 'center'})", byId("backendCredential"));
		assertFitsAndScreenshot("client-edit-backend-credential");
		Select editing = new Select(byId("backendCredential"));
		assertThat(editing.getFirstSelectedOption().getAttribute("value")).isEqualTo("sales");
		editing.selectByVisibleText("Route default");
		clickAndAwait("save-client", name);
		assertThat(byId("backend-credential").getText()).isEqualTo("route default");
		assertThat(this.clients.findById(clientId).block(WAIT).tokenSettings().backendCredential()).isNull();
	}

	/** Issue 16: the signing algorithm is chosen in the form, RS256 unless changed, and shown on the client's page. */
	@Test
	void theSigningAlgorithmIsRs256UnlessEdDsaIsChosenAndTheClientPageShowsIt() {
		User admin = registerAdmin();
		openSignedIn("/admin/clients/new", admin, "New client");
		assertThat(new Select(byId("signingAlgorithm")).getFirstSelectedOption().getText()).isEqualTo("RS256");
		String name = "Signing " + uniqueId("s").substring(2, 10);
		byId("name").sendKeys(name);
		byId("kind-client-credentials").click();
		clickAndAwait("create-client", name);
		String clientId = byId("client-id").getText();
		assertThat(byId("signing-algorithm").getText()).isEqualTo("RS256");
		assertThat(this.clients.findById(clientId).block(WAIT).tokenSettings().signingAlgorithm())
			.isEqualTo(SigningAlgorithm.RS256);

		open("/admin/clients/" + clientId + "/edit", "Edit " + name);
		new Select(byId("signingAlgorithm")).selectByVisibleText("EdDSA");
		clickAndAwait("save-client", name);

		assertThat(byId("signing-algorithm").getText()).isEqualTo("EdDSA");
		assertThat(this.clients.findById(clientId).block(WAIT).tokenSettings().signingAlgorithm())
			.isEqualTo(SigningAlgorithm.EdDSA);
		open("/admin/clients/" + clientId + "/edit", "Edit " + name);
		assertThat(new Select(byId("signingAlgorithm")).getFirstSelectedOption().getText()).isEqualTo("EdDSA");
	}

}
