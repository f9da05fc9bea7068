package dev.portcullis.web;

import java.net.URI;
import java.util.List;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import dev.portcullis.support.Replicas;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import dev.portcullis.support.TestPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authorization server metadata (RFC 8414) as Nimbus OAuth 2.0 SDK resolves it from an issuer, and the issuer in the
 * tokens (RFC 9068): two replicas on one Redis in the middle of setting {@code portcullis.issuer-uri}, one still
 * without it but accepting it already, each accepting the other's tokens.
 */
@RequiresRedis
class AuthorizationServerMetadataIntegrationTests {

	private static final int PORT_WITH_ISSUER_URI = TestPorts.free();

	private static final String ISSUER_URI = "http://127.0.0.1:" + PORT_WITH_ISSUER_URI;

	private static Replicas replicas;

	private static ConfigurableApplicationContext withIssuerUri;

	private static ConfigurableApplicationContext withoutIssuerUri;

	@BeforeAll
	static void startTwoGateways() {
		replicas = new Replicas();
		List<String> client = List.of("portcullis.bootstrap.clients[0].id=meta-client",
				"portcullis.bootstrap.clients[0].name=Metadata client",
				"portcullis.bootstrap.clients[0].secret=meta-client-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials");
		// the first step of a rolling change: accept the new issuer everywhere before any replica issues it
		withoutIssuerUri = replicas.start(concat(client, "portcullis.accepted-issuers=" + ISSUER_URI));
		// with a trailing slash, as people write it: the issuer is the URL without it
		withIssuerUri = replicas.start(concat(client, "server.port=" + PORT_WITH_ISSUER_URI,
				"portcullis.issuer-uri=" + ISSUER_URI + "/"));
	}

	@AfterAll
	static void stopTwoGateways() {
		if (replicas != null) {
			replicas.close();
		}
	}

	@Test
	void resolveWhenTheIssuerUriIsSetThenNimbusAcceptsTheMetadataAndTheEndpointsWork() throws Exception {
		AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(ISSUER_URI));

		assertThat(metadata.getIssuer().getValue()).isEqualTo(ISSUER_URI);
		assertThat(metadata.getTokenEndpointURI()).isEqualTo(URI.create(ISSUER_URI + "/Api/access_token"));
		assertThat(metadata.getAuthorizationEndpointURI()).isEqualTo(URI.create(ISSUER_URI + "/Api/authorize"));
		assertThat(metadata.getRevocationEndpointURI()).isEqualTo(URI.create(ISSUER_URI + "/oauth2/revoke"));
		assertThat(metadata.getIntrospectionEndpointURI()).isEqualTo(URI.create(ISSUER_URI + "/oauth2/introspect"));
		assertThat(metadata.getIntrospectionEndpointAuthMethods()).as("never a client id alone")
			.containsExactlyInAnyOrder(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
					ClientAuthenticationMethod.CLIENT_SECRET_POST);
		assertThat(metadata.getJWKSetURI()).isEqualTo(URI.create(ISSUER_URI + "/.well-known/jwks.json"));
		assertThat(metadata.getGrantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE,
				GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD, GrantType.REFRESH_TOKEN);
		assertThat(metadata.getCodeChallengeMethods()).contains(CodeChallengeMethod.S256);
		assertThat(metadata.getTokenEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
				ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.NONE);
		// each endpoint it names answers there
		WebTestClient http = WebTestClient.bindToServer().baseUrl(ISSUER_URI).build();
		http.get().uri(metadata.getJWKSetURI()).exchange().expectStatus().isOk();
		http.post()
			.uri(metadata.getRevocationEndpointURI())
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=x&client_id=meta-client&client_secret=meta-client-secret")
			.exchange()
			.expectStatus()
			.isOk();
		http.post()
			.uri(metadata.getIntrospectionEndpointURI())
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("token=x&client_id=meta-client&client_secret=meta-client-secret")
			.exchange()
			.expectStatus()
			.isForbidden();
		String token = TestGateways.clientCredentialsToken(withIssuerUri, "meta-client", "meta-client-secret");
		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).as("RFC 9068 §2.2: iss is the issuer")
			.isEqualTo(ISSUER_URI);
	}

	@Test
	void resolveWhenNoIssuerUriThenTheMetadataNamesTheUrlAskedAndIsNotCached() throws Exception {
		String base = "http://127.0.0.1:" + TestGateways.port(withoutIssuerUri);

		AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(base));

		assertThat(metadata.getTokenEndpointURI()).isEqualTo(URI.create(base + "/Api/access_token"));
		TestGateways.client(withoutIssuerUri)
			.get()
			.uri("/.well-known/oauth-authorization-server")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "no-store");
		String token = TestGateways.clientCredentialsToken(withoutIssuerUri, "meta-client", "meta-client-secret");
		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).as("portcullis.issuer, as before")
			.isEqualTo("portcullis");
	}

	/**
	 * A rolling change: tokens issued before (under portcullis.issuer) keep working at a changed replica, and the new
	 * ones at a replica not yet changed that accepts the new issuer.
	 */
	@Test
	void tokensWhenOneReplicaIssuesTheIssuerUriAndOneOnlyAcceptsItThenEachAcceptsTheOthers() {
		String newIssuerToken = TestGateways.clientCredentialsToken(withIssuerUri, "meta-client", "meta-client-secret");
		String oldIssuerToken = TestGateways.clientCredentialsToken(withoutIssuerUri, "meta-client", "meta-client-secret");

		accounts(withIssuerUri, oldIssuerToken).expectStatus().isOk();
		accounts(withIssuerUri, newIssuerToken).expectStatus().isOk();
		accounts(withoutIssuerUri, oldIssuerToken).expectStatus().isOk();
		accounts(withoutIssuerUri, newIssuerToken).expectStatus().isOk();
	}

	private static WebTestClient.ResponseSpec accounts(ConfigurableApplicationContext gateway, String token) {
		return TestGateways.client(gateway)
			.get()
			.uri("/Api/V8/module/Accounts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange();
	}

	private static List<String> concat(List<String> list, String... more) {
		return java.util.stream.Stream.concat(list.stream(), java.util.Arrays.stream(more)).toList();
	}

}
