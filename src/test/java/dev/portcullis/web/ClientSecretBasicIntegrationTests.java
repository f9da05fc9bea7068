package dev.portcullis.web;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.portcullis.fixtures.ClientSecretBasicEncoding;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: client_secret_basic over real HTTP as openid-client 6 and Nimbus send it (form-encoded, RFC 6749
 * §2.3.1) and as league's clients send it (raw), for ids and secrets with the characters the encoders treat
 * differently; one password hash per request at most, counted by {@code portcullis.password.checks.computed}. Each
 * test comes from client addresses of its own, so that the guessing limits of one do not touch another.
 */
class ClientSecretBasicIntegrationTests extends PortcullisIntegrationTests {

	/** The characters clients encode differently in HTTP Basic, and non-ASCII ones. */
	private static final String ODD = "-_.!~*'()%+:é€";

	@LocalServerPort
	private int port;

	@Autowired
	private HashingPool hashing;

	@Test
	void encodingsWhenTheDocumentedExampleThenAsTheIssueQuotesThem() {
		assertThat(ClientSecretBasicEncoding.OPENID_CLIENT.credentials("pw-client", "client_secret"))
			.satisfies((sent) -> {
				assertThat(sent.clientId()).isEqualTo("pw%2Dclient");
				assertThat(sent.clientSecret()).isEqualTo("client%5Fsecret");
			});
		assertThat(ClientSecretBasicEncoding.NIMBUS.credentials("a b!", "c+d")).satisfies((sent) -> {
			assertThat(sent.clientId()).isEqualTo("a+b%21");
			assertThat(sent.clientSecret()).isEqualTo("c%2Bd");
		});
	}

	@ParameterizedTest
	@EnumSource(ClientSecretBasicEncoding.class)
	void clientCredentialsWhenBasicEncodedAsRealClientsDoThenIssuedAndWrongSecretsRefusedForOneHashEach(
			ClientSecretBasicEncoding encoding) {
		// a raw id cannot hold a colon: RFC 7617 splits user and password at the first one
		String clientId = uniqueId("client" + ((encoding == ClientSecretBasicEncoding.RAW) ? ODD.replace(":", "") : ODD));
		String secret = "secret " + ODD;
		register(clientId, secret);
		WebTestClient client = TestGateways.clientFrom(this.port, TestGateways.randomLoopbackAddress());

		for (String wrong : List.of(secret + "x", "Secret " + ODD, "secret " + ODD.replace("%", "%25"), ODD)) {
			long hashes = this.hashing.computed();
			token(client, encoding.header(clientId, wrong)).expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"OAuth\"")
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("invalid_client");
			assertThat(this.hashing.computed() - hashes).as("hashes for %s", wrong).isLessThanOrEqualTo(1);
		}

		long hashes = this.hashing.computed();
		token(client, encoding.header(clientId, secret)).expectStatus().isOk().expectBody().jsonPath("$.access_token")
			.isNotEmpty();
		assertThat(this.hashing.computed() - hashes).isEqualTo(1);
	}

	/** Portcullis generates UUIDs as client ids: every openid-client request escaped their dashes, and failed. */
	@ParameterizedTest
	@EnumSource(ClientSecretBasicEncoding.class)
	void clientCredentialsWhenAGeneratedIdAndSecretThenIssuedInEveryEncoding(ClientSecretBasicEncoding encoding) {
		String clientId = java.util.UUID.randomUUID().toString();
		String secret = "Zm9v+YmFy/cXV4==";
		register(clientId, secret);

		token(TestGateways.clientFrom(this.port, TestGateways.randomLoopbackAddress()), encoding.header(clientId, secret))
			.expectStatus()
			.isOk();
	}

	/**
	 * The attack: the guessing limits keyed on the id as sent, so each spelling of it (raw, as openid-client or Nimbus
	 * encode it, with lower-case escapes, with escaped letters) would have bought five more guesses. They count under
	 * the id the client was found by.
	 */
	@Test
	void clientCredentialsWhenAGuesserSpellsTheIdDifferentlyEachTimeThenStillRefusedAfterFive() {
		String clientId = uniqueId("guessed");
		register(clientId, secretOf(clientId));
		WebTestClient attacker = TestGateways.clientFrom(this.port, TestGateways.randomLoopbackAddress());
		List<String> spellings = List.of(
				ClientSecretBasicEncoding.RAW.header(clientId, "guess-0"),
				ClientSecretBasicEncoding.OPENID_CLIENT.header(clientId, "guess-1"),
				ClientSecretBasicEncoding.NIMBUS.header(clientId, "guess-2"),
				basic(clientId.replace("-", "%2d"), "guess-3"),
				basic(clientId.replaceFirst("g", "%67"), "guess-4"));
		for (String header : spellings) {
			long hashes = this.hashing.computed();
			token(attacker, header).expectStatus().isUnauthorized();
			assertThat(this.hashing.computed() - hashes).isLessThanOrEqualTo(1);
		}

		long hashes = this.hashing.computed();
		token(attacker, basic(clientId.replaceFirst("u", "%75"), secretOf(clientId))).expectStatus().isEqualTo(429);
		token(attacker, ClientSecretBasicEncoding.OPENID_CLIENT.header(clientId, secretOf(clientId))).expectStatus()
			.isEqualTo(429);
		assertThat(this.hashing.computed()).as("refused without a hash").isEqualTo(hashes);
		WebTestClient owner = TestGateways.clientFrom(this.port, TestGateways.randomLoopbackAddress());
		token(owner, ClientSecretBasicEncoding.OPENID_CLIENT.header(clientId, secretOf(clientId))).expectStatus().isOk();
	}

	private void register(String clientId, String secret) {
		this.clients.save(new RegisteredClient(clientId, "Basic client", this.hasher.hash(secret), true,
				EnumSet.of(GrantType.CLIENT_CREDENTIALS), null, List.of(), Set.of()))
			.block(Duration.ofSeconds(5));
	}

	private static WebTestClient.ResponseSpec token(WebTestClient client, String authorization) {
		return client.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.AUTHORIZATION, authorization)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials")
			.exchange();
	}

}
