package dev.portcullis.web;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414): what a client library needs to configure itself,
 * derived from the running configuration. The issuer is {@code portcullis.issuer-uri}; without it, the URL the
 * request came to (so the quickstart's {@code http://localhost:8080} discovers itself), answered with
 * {@code no-store} since a request's {@code Host} decides it.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8414#section-3">RFC 8414 §3</a>
 */
public final class AuthorizationServerMetadataHandler {

	/** What the token and revocation endpoints accept: HTTP Basic, the body, or a public client's id alone. */
	private static final List<String> CLIENT_AUTHENTICATION = List.of("client_secret_basic", "client_secret_post", "none");

	/** What the introspection endpoint accepts: only a confidential client's secret, never a client id alone. */
	private static final List<String> SECRET_AUTHENTICATION = List.of("client_secret_basic", "client_secret_post");

	private final @Nullable URI issuer;

	private final Paths paths;

	/**
	 * @param issuer the configured issuer URL, or {@code null} to use each request's
	 * @param paths where the endpoints are, relative to the issuer
	 */
	public AuthorizationServerMetadataHandler(@Nullable URI issuer, Paths paths) {
		this.issuer = issuer;
		this.paths = paths;
	}

	public Mono<ServerResponse> handle(ServerRequest request) {
		String base = (this.issuer != null) ? this.issuer.toString() : requestBase(request.uri());
		Metadata metadata = new Metadata(base, base + this.paths.authorization(), base + this.paths.token(),
				base + this.paths.revocation(), base + this.paths.introspection(), base + this.paths.jwks(), List.of("code"),
				List.of("authorization_code", "client_credentials", "password", "refresh_token"), List.of("S256", "plain"),
				CLIENT_AUTHENTICATION, CLIENT_AUTHENTICATION, SECRET_AUTHENTICATION);
		CacheControl cache = (this.issuer != null) ? CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePublic()
				: CacheControl.noStore();
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(cache).bodyValue(metadata);
	}

	private static String requestBase(URI uri) {
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}

	/** The endpoints' paths. */
	public record Paths(String authorization, String token, String revocation, String introspection, String jwks) {
	}

	/** RFC 8414 §2's members that Portcullis has. */
	record Metadata(String issuer, @JsonProperty("authorization_endpoint") String authorizationEndpoint,
			@JsonProperty("token_endpoint") String tokenEndpoint,
			@JsonProperty("revocation_endpoint") String revocationEndpoint,
			@JsonProperty("introspection_endpoint") String introspectionEndpoint, @JsonProperty("jwks_uri") String jwksUri,
			@JsonProperty("response_types_supported") List<String> responseTypesSupported,
			@JsonProperty("grant_types_supported") List<String> grantTypesSupported,
			@JsonProperty("code_challenge_methods_supported") List<String> codeChallengeMethodsSupported,
			@JsonProperty("token_endpoint_auth_methods_supported") List<String> tokenEndpointAuthMethodsSupported,
			@JsonProperty("revocation_endpoint_auth_methods_supported") List<String> revocationEndpointAuthMethodsSupported,
			@JsonProperty("introspection_endpoint_auth_methods_supported") List<String> introspectionEndpointAuthMethodsSupported) {
	}

}
