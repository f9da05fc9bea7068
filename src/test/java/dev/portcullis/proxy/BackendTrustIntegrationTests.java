package dev.portcullis.proxy;

import java.util.List;
import java.util.Map;

import dev.portcullis.support.RawHttp;
import dev.portcullis.web.PortcullisIntegrationTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.TransferEncodingNormalizationHeadersFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the backend receives when a client with a valid token tries to make it believe something else (issue 11):
 * every request is written byte for byte ({@link RawHttp}) and the backend reports exactly the header names and
 * values it received, and how a CGI-style backend (PHP) reads them.
 */
class BackendTrustIntegrationTests extends PortcullisIntegrationTests {

	private static final String ACCOUNTS = "/Api/V8/module/Accounts";

	@LocalServerPort
	private int port;

	@Test
	void proxyWhenConnectionHeaderNamesTheIdentityHeadersThenBackendStillGetsThem() {
		String token = clientCredentialsToken();
		String clientId = clientIdOf(token);

		Map<String, Object> echo = echo(RawHttp.exchange(this.port, RawHttp.head("GET " + ACCOUNTS + " HTTP/1.1",
				"Host: gateway", "Authorization: Bearer " + token,
				"Connection: close, X-Auth-Subject, X-Auth-Client-Id, X-Auth-Scopes")));

		assertThat(rawHeaders(echo)).contains(List.of("X-Auth-Subject", clientId), List.of("X-Auth-Client-Id", clientId),
				List.of("X-Auth-Scopes", ""));
	}

	@Test
	void proxyWhenLookAlikeIdentityAndForwardingHeadersThenNoneReachesTheBackend() {
		String token = clientCredentialsToken();
		String clientId = clientIdOf(token);

		Map<String, Object> echo = echo(RawHttp.exchange(this.port, RawHttp.head("GET " + ACCOUNTS + " HTTP/1.1",
				"Host: gateway", "Authorization: Bearer " + token, "Connection: close",
				"X_Auth_Subject: root", "X_Auth_Scopes: admin", "x.auth.client.id: admin-client", "X-AUTH-SUBJECT: 1",
				"X-Real-IP: 10.0.0.1", "x_real_ip: 10.0.0.2", "X_Forwarded_For: 10.0.0.3", "x.forwarded.host: evil",
				"Forwarded: for=10.0.0.4", "X-Forwarded-For: 10.0.0.5", "x_forwarded: for=10.0.0.6")));

		List<List<String>> received = rawHeaders(echo);
		assertThat(received).as("exactly the gateway's own identity headers, under their own names")
			.filteredOn((header) -> header.get(0).toLowerCase().replaceAll("[^a-z0-9]", "-").matches(
					"x-auth-.*|x-real-ip|forwarded|x-forwarded.*"))
			.containsExactlyInAnyOrder(List.of("X-Auth-Subject", clientId), List.of("X-Auth-Client-Id", clientId),
					List.of("X-Auth-Scopes", ""));
		assertThat(cgi(echo)).as("what a PHP backend reads").containsEntry("HTTP_X_AUTH_SUBJECT", List.of(clientId))
			.containsEntry("HTTP_X_AUTH_CLIENT_ID", List.of(clientId))
			.containsEntry("HTTP_X_AUTH_SCOPES", List.of(""))
			.doesNotContainKeys("HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED",
					"HTTP_X_FORWARDED");
	}

	@ParameterizedTest
	@ValueSource(strings = { ACCOUNTS, "/Api/access_token", "/admin/api/clients", "/login", "/.well-known/jwks.json" })
	void anyPathWhenTwoAuthorizationHeadersThenRefusedAndNothingForwarded(String path) {
		String token = clientCredentialsToken();
		long forwardedBefore = UPSTREAM.requestCount();

		RawHttp.Response response = RawHttp.exchange(this.port, RawHttp.head("GET " + path + " HTTP/1.1",
				"Host: gateway", "Connection: close", "Authorization: Bearer " + token,
				"authorization: Basic YWRtaW46YWRtaW4="));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_request\"");
		assertThat(parse(response.body().getBytes())).containsEntry("error", "invalid_request")
			.containsEntry("hint", "Send one Authorization header")
			.containsKeys("error_description", "message");
		assertThat(UPSTREAM.requestCount()).isEqualTo(forwardedBefore);
	}

	@Test
	void proxyWhenOneAuthorizationHeaderThenForwardedOnce() {
		String token = clientCredentialsToken();

		Map<String, Object> echo = echo(RawHttp.exchange(this.port, RawHttp.head("GET " + ACCOUNTS + " HTTP/1.1",
				"Host: gateway", "Connection: close", "Authorization: Bearer " + token)));

		assertThat(rawHeaders(echo)).filteredOn((header) -> header.get(0).equalsIgnoreCase("Authorization"))
			.containsExactly(List.of("Authorization", "Bearer " + token));
	}

	@Test
	void proxyWhenHopByHopHeadersThenNoneReachesTheBackend() {
		String token = clientCredentialsToken();

		Map<String, Object> echo = echo(RawHttp.exchange(this.port, RawHttp.head("GET " + ACCOUNTS + " HTTP/1.1",
				"Host: gateway", "Authorization: Bearer " + token, "Connection: close, X-Client-Hop",
				"keep-alive: timeout=5", "TE: trailers", "Trailer: X-Checksum", "Proxy-Authorization: Basic c2VjcmV0",
				"X-Application-Context: client", "x-client-hop: 1", "X-Client-Kept: 2")));

		List<String> names = rawHeaders(echo).stream().map((header) -> header.get(0).toLowerCase()).toList();
		assertThat(names).contains("x-client-kept", "x-auth-subject")
			.doesNotContain("keep-alive", "te", "trailer", "proxy-authorization", "x-application-context",
					"x-client-hop");
	}

	@Test
	void proxyWhenBackendAnswersHopByHopHeadersThenNoneReachesTheClient() {
		String token = clientCredentialsToken();

		RawHttp.Response response = RawHttp.exchange(this.port, RawHttp.head("GET /Api/V8/hop-by-hop HTTP/1.1",
				"Host: gateway", "Authorization: Bearer " + token, "Connection: close"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.headers()).containsKey("x-backend-kept")
			.doesNotContainKeys("keep-alive", "proxy-authenticate", "x-application-context", "x-backend-hop");
	}

	/**
	 * The gateway's removers that copied the header map each are out of the routing filter's header filters, and
	 * what replaces them is in: without this, a renamed bean in a new Spring Cloud Gateway would copy the map again
	 * unnoticed.
	 */
	@Test
	void routingFilterWhenBuiltThenOneRequestHeaderFilterRemovesHopByHopAndForwardedHeaders(
			@Autowired NettyRoutingFilter routing) {
		assertThat(routing.getHeadersFilters()).extracting(Object::getClass)
			.contains(BackendRequestHeadersFilter.class, ResponseHopByHopHeadersFilter.class)
			.doesNotContain(RemoveHopByHopHeadersFilter.class, RemoveForwardedHeadersFilter.class,
					RemoveXForwardedHeadersFilter.class);
		assertThat(routing.getHeadersFilters()).as("Transfer-Encoding read before it goes, cookies before the identity")
			.extracting(Object::getClass)
			.containsSubsequence(TransferEncodingNormalizationHeadersFilter.class, OwnCookiesFilter.class,
					BackendRequestHeadersFilter.class);
	}

	private Map<String, Object> echo(RawHttp.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return parse(response.body().getBytes());
	}

	private String clientIdOf(String token) {
		String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
		return (String) parse(payload.getBytes()).get("client_id");
	}

	@SuppressWarnings("unchecked")
	private static List<List<String>> rawHeaders(Map<String, Object> echo) {
		return (List<List<String>>) echo.get("rawHeaders");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, List<String>> cgi(Map<String, Object> echo) {
		return (Map<String, List<String>>) echo.get("cgi");
	}

}
