package dev.portcullis.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.oauth2.OAuth2ErrorCodes;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.introspection.IntrospectedToken;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Writes token responses and errors byte for byte as league/oauth2-server 8 does, which SuiteCRM clients parse:
 * the success keys in league's order, the error envelope {@code error}, {@code error_description}, {@code hint}
 * (only when set) and {@code message} (a copy of the description, for clients of league 5;
 * {@link OAuth2Error#payload()}). The one writer of that envelope as JSON: the token endpoint's errors, the proxy's
 * refusals and backend failures, and the 503 of an unavailable store all go through it.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-5.1">RFC 6749 §5.1</a>
 */
public final class OAuth2ResponseWriter {

	/** league sends exactly this: with charset on success, without it on errors. */
	private static final String SUCCESS_CONTENT_TYPE = "application/json; charset=UTF-8";

	private static final String ERROR_CONTENT_TYPE = "application/json";

	private final JsonMapper json;

	public OAuth2ResponseWriter(JsonMapper json) {
		this.json = json;
	}

	public Mono<ServerResponse> token(IssuedTokens tokens) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("token_type", "Bearer");
		// the token's lifetime, as league's exp - time() gives it when answered in the second of issue
		body.put("expires_in", tokens.accessToken().expiresAt().getEpochSecond()
				- tokens.accessToken().issuedAt().getEpochSecond());
		body.put("access_token", tokens.accessToken().value());
		if (tokens.refreshToken() != null) {
			body.put("refresh_token", tokens.refreshToken());
		}
		if (tokens.scopeRequested()) {
			body.put("scope", String.join(" ", tokens.scopes()));
		}
		// @formatter:off
		return ServerResponse.ok()
				.header(HttpHeaders.PRAGMA, "no-cache")
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.header(HttpHeaders.CONTENT_TYPE, SUCCESS_CONTENT_TYPE)
				.bodyValue(this.json.writeValueAsBytes(body));
		// @formatter:on
	}

	/**
	 * An introspection answer (RFC 7662 §2.2): {@code active}, then only the members an active token has, times as
	 * epoch seconds; never cached, as it may change at any moment.
	 */
	public Mono<ServerResponse> introspection(IntrospectedToken token) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("active", token.active());
		if (token.active()) {
			body.put("scope", String.join(" ", token.scopes().stream().sorted().toList()));
			putIfPresent(body, "client_id", token.clientId());
			putIfPresent(body, "username", token.username());
			putIfPresent(body, "token_type", token.tokenType());
			putIfPresent(body, "exp", epochSeconds(token.expiresAt()));
			putIfPresent(body, "iat", epochSeconds(token.issuedAt()));
			putIfPresent(body, "nbf", epochSeconds(token.notBefore()));
			putIfPresent(body, "sub", token.subject());
			if (!token.audience().isEmpty()) {
				body.put("aud", (token.audience().size() == 1) ? token.audience().get(0) : token.audience());
			}
			putIfPresent(body, "iss", token.issuer());
			putIfPresent(body, "jti", token.jti());
		}
		// @formatter:off
		return ServerResponse.ok()
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.header(HttpHeaders.PRAGMA, "no-cache")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(this.json.writeValueAsBytes(body));
		// @formatter:on
	}

	private static void putIfPresent(Map<String, Object> body, String name, @Nullable Object value) {
		if (value != null) {
			body.put(name, value);
		}
	}

	private static @Nullable Long epochSeconds(@Nullable Instant instant) {
		return (instant != null) ? instant.getEpochSecond() : null;
	}

	/**
	 * @param authorization the request's Authorization header: league answers {@code invalid_client} with a
	 * {@code WWW-Authenticate} challenge in the scheme the client used, and only when it used one
	 */
	public Mono<ServerResponse> error(OAuth2Exception exception, @Nullable String authorization) {
		OAuth2Error error = exception.getError();
		ServerResponse.BodyBuilder response = ServerResponse.status(HttpStatusCode.valueOf(error.httpStatus()))
			.header(HttpHeaders.CONTENT_TYPE, ERROR_CONTENT_TYPE)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.header(HttpHeaders.PRAGMA, "no-cache");
		if (OAuth2ErrorCodes.INVALID_CLIENT.equals(error.code()) && authorization != null && !authorization.isBlank()) {
			String scheme = authorization.startsWith("Bearer") ? "Bearer" : "Basic";
			response.header(HttpHeaders.WWW_AUTHENTICATE, scheme + " realm=\"OAuth\"");
		}
		if (exception.getRetryAfter() != null) {
			response.header(HttpHeaders.RETRY_AFTER, String.valueOf(exception.getRetryAfter().toSeconds()));
		}
		return response.bodyValue(body(error));
	}

	/**
	 * Answers with {@code error} where no {@link ServerResponse} is built (filters, entry points, exception handlers):
	 * its status, the JSON envelope and no caching. Headers set before stay.
	 */
	public Mono<Void> error(ServerHttpResponse response, OAuth2Error error) {
		response.setStatusCode(HttpStatusCode.valueOf(error.httpStatus()));
		response.getHeaders().set(HttpHeaders.CONTENT_TYPE, ERROR_CONTENT_TYPE);
		response.getHeaders().setCacheControl("no-store");
		byte[] body = body(error);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	/** The error envelope as JSON, in league's key order. */
	public byte[] body(OAuth2Error error) {
		return this.json.writeValueAsBytes(error.payload());
	}

}
