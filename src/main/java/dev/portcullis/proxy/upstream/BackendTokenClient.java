package dev.portcullis.proxy.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Asks a backend's token endpoint for an access token with the client_credentials grant, without blocking, and
 * reads league's (RFC 6749 §5.1) answer. Any other answer is an {@link UpstreamCredentialsUnavailableException}.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.4.2">RFC 6749 §4.4.2</a>
 */
public final class BackendTokenClient {

	/** The body a backend may answer with; a token response is a few hundred bytes. */
	private static final int MAX_RESPONSE_BYTES = 64 * 1024;

	/** League's default lifetime when a backend leaves {@code expires_in} out (RFC 6749 says it is RECOMMENDED). */
	private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

	private final WebClient web;

	private final JsonMapper json;

	private final Duration timeout;

	private final Clock clock;

	public BackendTokenClient(WebClient.Builder web, JsonMapper json, Duration timeout, Clock clock) {
		this.web = web.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(MAX_RESPONSE_BYTES)).build();
		this.json = json;
		this.timeout = timeout;
		this.clock = clock;
	}

	/** A new token for the credential. */
	public Mono<BackendToken> fetch(UpstreamCredential credential) {
		Instant requestedAt = this.clock.instant();
		// @formatter:off
		return request(credential)
				.exchangeToMono((response) -> response.bodyToMono(byte[].class)
						.defaultIfEmpty(new byte[0])
						.map((body) -> {
							if (!response.statusCode().is2xxSuccessful()) {
								throw new UpstreamCredentialsUnavailableException(credential.name(),
										"the token endpoint answered " + response.statusCode().value());
							}
							return parse(credential, body, requestedAt);
						}))
				.timeout(this.timeout)
				.onErrorMap((ex) -> !(ex instanceof UpstreamCredentialsUnavailableException),
						(ex) -> new UpstreamCredentialsUnavailableException(credential.name(), ex.toString()));
		// @formatter:on
	}

	private WebClient.RequestHeadersSpec<?> request(UpstreamCredential credential) {
		WebClient.RequestBodySpec post = this.web.post().uri(credential.tokenUri()).accept(MediaType.APPLICATION_JSON);
		if (credential.bodyFormat() == UpstreamCredential.BodyFormat.FORM) {
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
			// grant_type (REQUIRED): "Value MUST be set to client_credentials."
			form.add("grant_type", "client_credentials");
			if (credential.scope() != null) {
				form.add("scope", credential.scope());
			}
			return post.headers((headers) -> headers.setBasicAuth(credential.clientId(), credential.clientSecret(),
					java.nio.charset.StandardCharsets.UTF_8))
				.body(BodyInserters.fromFormData(form));
		}
		Map<String, String> body = new LinkedHashMap<>();
		body.put("grant_type", "client_credentials");
		body.put("client_id", credential.clientId());
		body.put("client_secret", credential.clientSecret());
		// league 8 reads a missing scope as the client's default ones; SuiteCRM's docs send an empty one
		body.put("scope", (credential.scope() != null) ? credential.scope() : "");
		return post.contentType(MediaType.valueOf("application/vnd.api+json")).bodyValue(this.json.writeValueAsBytes(body));
	}

	private BackendToken parse(UpstreamCredential credential, byte[] body, Instant requestedAt) {
		JsonNode answer;
		try {
			answer = this.json.readTree(body);
		}
		catch (RuntimeException ex) {
			throw new UpstreamCredentialsUnavailableException(credential.name(), "the token endpoint's answer is not JSON");
		}
		JsonNode token = answer.get("access_token");
		JsonNode type = answer.get("token_type");
		if (token == null || !token.isString() || token.asString().isBlank()) {
			throw new UpstreamCredentialsUnavailableException(credential.name(), "the answer holds no access_token");
		}
		if (type != null && !"bearer".equalsIgnoreCase(type.asString())) {
			throw new UpstreamCredentialsUnavailableException(credential.name(),
					"the token is not a bearer token but " + type.asString());
		}
		JsonNode expiresIn = answer.get("expires_in");
		Duration lifetime = (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0)
				? Duration.ofSeconds(expiresIn.asLong()) : DEFAULT_LIFETIME;
		// counted from the request, not the answer: the token may have been issued at any moment in between
		return new BackendToken(token.asString(), requestedAt, requestedAt.plus(lifetime));
	}

}
