package dev.portcullis.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed token requests: each gets league's envelope with the right status, never a 500 or a stack trace, and
 * none changes what is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEndpointBadInputTests extends PortcullisIntegrationTests {

	private static final String CLIENT = uniqueId("bad-input");

	private static final String SECRET = secretOf(CLIENT);

	private static final String FORM = "application/x-www-form-urlencoded";

	private static final String JSON = "application/json";

	@Autowired
	private AuthorizationStore authorizations;

	private RegisteredClient client;

	private User user;

	@BeforeAll
	void registerClientAndUser() {
		this.client = registerClient(CLIENT, Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD), null, Set.of(),
				null);
		this.user = registerUser(uniqueId("bad-input-user"), true);
	}

	@AfterAll
	void nothingStoredChanged() {
		assertThat(this.clients.findById(CLIENT).block(Duration.ofSeconds(5))).isEqualTo(this.client);
		assertThat(this.users.findById(this.user.id()).block(Duration.ofSeconds(5))).isEqualTo(this.user);
		assertThat(this.authorizations.findByClientId(CLIENT).collectList().block(Duration.ofSeconds(5)))
			.as("no token was issued to the client by any malformed request")
			.isEmpty();
	}

	static Stream<Arguments> malformedBodies() {
		String cc = "\"grant_type\":\"client_credentials\",\"client_id\":\"" + CLIENT + "\"";
		String ccForm = "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=" + SECRET;
		String pwForm = "grant_type=password&client_id=" + CLIENT + "&client_secret=" + SECRET;
		// @formatter:off
		return Stream.of(
				// what league cannot parse is an unsupported grant type
				bad("garbage JSON", JSON, "{not json", 400, "unsupported_grant_type", "The request body is not valid JSON"),
				bad("truncated JSON", JSON, "{" + cc + ",\"client_secret\":\"", 400, "unsupported_grant_type", "The request body is not valid JSON"),
				bad("JSON array", JSON, "[{" + cc + "}]", 400, "unsupported_grant_type", "The request body is not a JSON object"),
				bad("JSON scalar", JSON, "\"client_credentials\"", 400, "unsupported_grant_type", "The request body is not a JSON object"),
				bad("JSON null", JSON, "null", 400, "unsupported_grant_type", "The request body is not a JSON object"),
				bad("trailing garbage after JSON", JSON, "{" + cc + "} x", 400, "unsupported_grant_type", null),
				bad("empty JSON body", JSON, "", 400, "unsupported_grant_type", null),
				bad("vnd.api+json garbage", "application/vnd.api+json", "{{", 400, "unsupported_grant_type", null),
				bad("text/plain", "text/plain", ccForm, 400, "unsupported_grant_type", null),
				bad("XML", "application/xml", "<grant_type>client_credentials</grant_type>", 400, "unsupported_grant_type", null),
				bad("unknown content type", "application/x-unknown", ccForm, 400, "unsupported_grant_type", null),
				bad("bad percent-encoding", FORM, ccForm + "&scope=%zz", 400, "unsupported_grant_type", null),
				// grant_type
				bad("missing grant_type", FORM, "client_id=" + CLIENT, 400, "unsupported_grant_type", "Check that all required parameters have been provided"),
				bad("unknown grant_type", FORM, "grant_type=foo&client_id=" + CLIENT, 400, "unsupported_grant_type", null),
				bad("grant_type in another case", FORM, "grant_type=Client_Credentials&client_id=" + CLIENT, 400, "unsupported_grant_type", null),
				bad("authorization_code for a client without that grant", FORM, "grant_type=authorization_code&client_id=" + CLIENT + "&client_secret=" + SECRET + "&code=x", 401, "invalid_client", null),
				bad("repeated grant_type", FORM, ccForm + "&grant_type=password", 400, "unsupported_grant_type", null),
				bad("numeric grant_type", JSON, "{\"grant_type\":1,\"client_id\":\"" + CLIENT + "\"}", 400, "unsupported_grant_type", null),
				// client authentication parameters
				bad("missing client_id", FORM, "grant_type=client_credentials&client_secret=x", 400, "invalid_request", "Check the `client_id` parameter"),
				bad("repeated client_id", FORM, ccForm + "&client_id=other", 400, "invalid_request", "Check the `client_id` parameter"),
				bad("numeric client_id", JSON, "{\"grant_type\":\"client_credentials\",\"client_id\":42}", 400, "invalid_request", "Check the `client_id` parameter"),
				bad("numeric client_secret", JSON, "{" + cc + ",\"client_secret\":123}", 400, "invalid_request", "Check the `client_secret` parameter"),
				bad("array client_secret", JSON, "{" + cc + ",\"client_secret\":[\"" + SECRET + "\"]}", 400, "invalid_request", "Check the `client_secret` parameter"),
				bad("duplicate JSON key", JSON, "{" + cc + ",\"client_secret\":\"" + SECRET + "\",\"client_secret\":\"" + SECRET + "\"}", 400, "invalid_request", "Check the `client_secret` parameter"),
				bad("repeated client_secret", FORM, ccForm + "&client_secret=" + SECRET, 400, "invalid_request", "Check the `client_secret` parameter"),
				bad("unicode client_id", JSON, "{\"grant_type\":\"client_credentials\",\"client_id\":\"клиент ✓ 客户\",\"client_secret\":\"x\"}", 401, "invalid_client", null),
				bad("control characters in client_id", JSON, "{\"grant_type\":\"client_credentials\",\"client_id\":\"\\u0000\\u0007\\n\\r\",\"client_secret\":\"x\"}", 401, "invalid_client", null),
				bad("very long client_id", FORM, "grant_type=client_credentials&client_secret=x&client_id=" + "a".repeat(60_000), 401, "invalid_client", null),
				bad("empty client_secret", FORM, "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=", 401, "invalid_client", null),
				// grant parameters
				bad("missing username", FORM, pwForm + "&password=x", 400, "invalid_request", "Check the `username` parameter"),
				bad("missing password", FORM, pwForm + "&username=x", 400, "invalid_request", "Check the `password` parameter"),
				bad("repeated username", FORM, pwForm + "&username=a&username=b&password=x", 400, "invalid_request", "Check the `username` parameter"),
				bad("numeric password", JSON, "{\"grant_type\":\"password\",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"" + SECRET + "\",\"username\":\"a\",\"password\":1234}", 400, "invalid_request", "Check the `password` parameter"),
				bad("very long password", FORM, pwForm + "&username=x&password=" + "p".repeat(50_000), 400, "invalid_grant", null),
				bad("control characters in username", JSON, "{\"grant_type\":\"password\",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"" + SECRET + "\",\"username\":\"\\u0000admin\\u001b\",\"password\":\"x\"}", 400, "invalid_grant", null),
				bad("scope not allowed, with control characters", JSON, "{" + cc + ",\"client_secret\":\"" + SECRET + "\",\"scope\":\"\\u0001evil\"}", 400, "invalid_scope", null),
				bad("missing refresh_token", FORM, "grant_type=refresh_token&client_id=" + CLIENT + "&client_secret=" + SECRET, 400, "invalid_request", "Check the `refresh_token` parameter"),
				bad("object refresh_token", JSON, "{\"grant_type\":\"refresh_token\",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"" + SECRET + "\",\"refresh_token\":{\"a\":1}}", 400, "invalid_request", "Check the `refresh_token` parameter"),
				bad("malformed refresh_token", FORM, "grant_type=refresh_token&client_id=" + CLIENT + "&client_secret=" + SECRET + "&refresh_token=def50200abc", 401, "invalid_request", "Cannot decrypt the refresh token"),
				bad("unknown refresh_token", FORM, "grant_type=refresh_token&client_id=" + CLIENT + "&client_secret=" + SECRET + "&refresh_token=" + "0".repeat(96), 401, "invalid_request", "Token has been revoked"));
		// @formatter:on
	}

	private static Arguments bad(String name, String contentType, String body, int status, String error,
			@Nullable String hint) {
		return Arguments.argumentSet(name, contentType, body, status, error, hint);
	}

	@ParameterizedTest
	@MethodSource("malformedBodies")
	void tokenRequestWhenMalformedThenLeagueErrorAndNothingStored(String contentType, String body, int status,
			String error, @Nullable String hint) {
		WebTestClient.ResponseSpec response = this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.CONTENT_TYPE, contentType)
			.bodyValue(body.getBytes(StandardCharsets.UTF_8))
			.exchange();

		assertLeagueError(response, status, error, hint);
	}

	@Test
	void tokenRequestWhenNoContentTypeThenUnsupportedGrantType() {
		assertLeagueError(this.http.post().uri("/Api/access_token").bodyValue(new byte[] { 'a' }).exchange(), 400,
				"unsupported_grant_type", null);
	}

	@Test
	void tokenRequestWhenBodyOverLimitThenRefusedBeforeReading() {
		byte[] body = ("grant_type=client_credentials&client_id=" + CLIENT + "&pad=" + "x".repeat(70_000))
			.getBytes(StandardCharsets.US_ASCII);

		WebTestClient.ResponseSpec response = this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.CONTENT_TYPE, FORM)
			.bodyValue(body)
			.exchange();

		assertLeagueError(response, 413, "invalid_request", "The request body exceeds 65536 bytes");
	}

	@Test
	void tokenRequestWhenChunkedBodyOverLimitThenRefused() {
		Flux<DataBuffer> chunks = Flux.range(0, 20)
			.map((i) -> DefaultDataBufferFactory.sharedInstance.wrap("x".repeat(8192).getBytes(StandardCharsets.US_ASCII)));

		WebTestClient.ResponseSpec response = this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.CONTENT_TYPE, FORM)
			.body(chunks, DataBuffer.class)
			.exchange();

		assertLeagueError(response, 413, "invalid_request", null);
	}

	@Test
	void tokenRequestWhenBasicHeaderNotBase64ThenInvalidClientWithChallenge() {
		for (String header : new String[] { "Basic !!!not-base64!!!", "Basic " + java.util.Base64.getEncoder()
			.encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)) }) {
			WebTestClient.ResponseSpec response = this.http.post()
				.uri("/Api/access_token")
				.header(HttpHeaders.AUTHORIZATION, header)
				.header(HttpHeaders.CONTENT_TYPE, FORM)
				.bodyValue("grant_type=client_credentials")
				.exchange();
			response.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"OAuth\"");
			assertLeagueError(response, 401, "invalid_client", null);
		}
	}

	@Test
	void tokenRequestWhenMultipartSecretIsAFileThenInvalidRequest() {
		MultipartBodyBuilder multipart = new MultipartBodyBuilder();
		multipart.part("grant_type", "client_credentials");
		multipart.part("client_id", CLIENT);
		multipart.part("client_secret", new org.springframework.core.io.ByteArrayResource(SECRET.getBytes()) {

			@Override
			public String getFilename() {
				return "secret.txt";
			}

		});

		WebTestClient.ResponseSpec response = this.http.post()
			.uri("/Api/access_token")
			.body(BodyInserters.fromMultipartData(multipart.build()))
			.exchange();

		assertLeagueError(response, 400, "invalid_request", "Check the `client_secret` parameter");
	}

	@Test
	void tokenRequestWhenMultipartBoundaryBrokenThenUnsupportedGrantType() {
		WebTestClient.ResponseSpec response = this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.CONTENT_TYPE, "multipart/form-data; boundary=abc")
			.bodyValue("--xyz\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n")
			.exchange();

		assertLeagueError(response, 400, "unsupported_grant_type", null);
	}

	@Test
	void tokenRequestWhenInvalidUtf8ThenNoServerError() {
		byte[] body = new byte[] { 'g', 'r', 'a', 'n', 't', '_', 't', 'y', 'p', 'e', '=', (byte) 0xC3, (byte) 0x28 };

		WebTestClient.ResponseSpec response = this.http.post()
			.uri("/Api/access_token")
			.header(HttpHeaders.CONTENT_TYPE, FORM)
			.bodyValue(body)
			.exchange();

		assertLeagueError(response, 400, "unsupported_grant_type", null);
	}

	private void assertLeagueError(WebTestClient.ResponseSpec response, int status, String error, @Nullable String hint) {
		byte[] body = response.expectStatus()
			.isEqualTo(HttpStatus.valueOf(status))
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult()
			.getResponseBody();
		Map<String, Object> envelope = parse(body);
		assertThat(envelope).containsEntry("error", error);
		assertThat(envelope.get("message")).isEqualTo(envelope.get("error_description")).isNotNull();
		assertThat(envelope.keySet()).isSubsetOf("error", "error_description", "hint", "message");
		if (hint != null) {
			assertThat(envelope).containsEntry("hint", hint);
		}
		assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain(SECRET).doesNotContain("Exception");
	}

}
