package dev.portcullis.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.TokenRequest;
import dev.portcullis.oauth2.TokenRequest.AuthorizationCodeRequest;
import dev.portcullis.oauth2.TokenRequest.ClientCredentialsRequest;
import dev.portcullis.oauth2.TokenRequest.PasswordRequest;
import dev.portcullis.oauth2.TokenRequest.RefreshTokenRequest;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.multipart.DefaultPartHttpMessageReader;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.MultipartHttpMessageReader;
import org.springframework.http.codec.multipart.Part;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Reads a token request as league/oauth2-server does: parameters from the body only, as
 * {@code application/x-www-form-urlencoded}, {@code multipart/form-data}, {@code application/json} or any
 * {@code +json} type; the client from {@code client_id}/{@code client_secret} in the body, each falling back to HTTP
 * Basic on its own. It labels parameters and rejects malformed ones; it never loads a client or a token.
 *
 * <p>A body league cannot parse (bad JSON, a JSON array or scalar, an unknown content type) gets what league
 * answers, {@code unsupported_grant_type}, with a hint that says why. Bodies over the configured limit are refused
 * with 413 before they are read when they announce their length, and as soon as the limit is passed otherwise.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4">RFC 6749 §4</a>
 */
public final class TokenRequestConverter {

	private static final JsonFactory JSON = new JsonFactory();

	private static final ResolvableType MULTIPART_TYPE = ResolvableType.forClassWithGenerics(MultiValueMap.class,
			String.class, Part.class);

	private final long maxBodyBytes;

	private final MultipartHttpMessageReader multipartReader;

	public TokenRequestConverter(long maxBodyBytes) {
		this.maxBodyBytes = maxBodyBytes;
		DefaultPartHttpMessageReader partReader = new DefaultPartHttpMessageReader();
		// the whole body is already in memory and bounded: keep every part there, never on disk
		partReader.setMaxInMemorySize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes));
		partReader.setMaxParts(64);
		this.multipartReader = new MultipartHttpMessageReader(partReader);
	}

	public Mono<TokenRequest> convert(ServerRequest request) {
		return body(request, this.maxBodyBytes)
			.flatMap((body) -> parameters(request, body))
			.map((parameters) -> toTokenRequest(parameters, request.headers().firstHeader(HttpHeaders.AUTHORIZATION)));
	}

	/**
	 * The whole body, refused with 413 before it is read when it announces more than {@code maxBodyBytes}, and as
	 * soon as the limit is passed otherwise.
	 */
	static Mono<byte[]> body(ServerRequest request, long maxBodyBytes) {
		long contentLength = request.headers().contentLength().orElse(-1);
		if (contentLength > maxBodyBytes) {
			return Mono.error(OAuth2Exception.requestTooLarge(maxBodyBytes));
		}
		// @formatter:off
		return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), (int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
				.map(TokenRequestConverter::bytes)
				.defaultIfEmpty(new byte[0])
				.onErrorMap(DataBufferLimitException.class, (ex) -> OAuth2Exception.requestTooLarge(maxBodyBytes));
		// @formatter:on
	}

	private Mono<RequestParameters> parameters(ServerRequest request, byte[] body) {
		Optional<MediaType> contentType = contentType(request);
		if (contentType.isEmpty()) {
			return Mono.error(OAuth2Exception.unsupportedGrantType(
					"Send the parameters as application/x-www-form-urlencoded, multipart/form-data or JSON"));
		}
		MediaType type = contentType.get();
		if (MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
			return Mono.fromCallable(() -> form(body));
		}
		if (MediaType.MULTIPART_FORM_DATA.equalsTypeAndSubtype(type)) {
			return multipart(request, body);
		}
		if (MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
				|| ("application".equals(type.getType()) && type.getSubtype().endsWith("+json"))) {
			return Mono.fromCallable(() -> json(body));
		}
		return Mono.error(OAuth2Exception.unsupportedGrantType("The content type " + type.getType() + "/"
				+ type.getSubtype() + " is not supported: send form, multipart or JSON parameters"));
	}

	static Optional<MediaType> contentType(ServerRequest request) {
		try {
			return request.headers().contentType();
		}
		catch (RuntimeException ex) {
			// an unparsable Content-Type is no content type we know
			return Optional.empty();
		}
	}

	static RequestParameters form(byte[] body) {
		RequestParameters parameters = new RequestParameters();
		String text = new String(body, StandardCharsets.UTF_8);
		if (text.isEmpty()) {
			return parameters;
		}
		try {
			for (String pair : text.split("&")) {
				if (pair.isEmpty()) {
					continue;
				}
				int equals = pair.indexOf('=');
				String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
				String value = (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
				parameters.add(name, value);
			}
		}
		catch (IllegalArgumentException ex) {
			throw OAuth2Exception.unsupportedGrantType("The request body is not valid application/x-www-form-urlencoded");
		}
		return parameters;
	}

	static RequestParameters json(byte[] body) {
		RequestParameters parameters = new RequestParameters();
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw OAuth2Exception.unsupportedGrantType("The request body is not a JSON object");
			}
			for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (value == JsonToken.VALUE_STRING) {
					parameters.add(name, parser.getString());
				}
				else if (value == JsonToken.VALUE_NULL) {
					// league reads `$parameters[$name] ?? $default`: a null member is an absent parameter
					continue;
				}
				else {
					// numbers, booleans, arrays and objects are no string parameter (league checks is_string)
					parser.skipChildren();
					parameters.addMalformed(name);
				}
			}
			if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
				throw OAuth2Exception.unsupportedGrantType("The request body is not a JSON object");
			}
		}
		catch (JacksonException ex) {
			throw OAuth2Exception.unsupportedGrantType("The request body is not valid JSON");
		}
		return parameters;
	}

	private Mono<RequestParameters> multipart(ServerRequest request, byte[] body) {
		ReactiveHttpInputMessage message = new ReactiveHttpInputMessage() {

			@Override
			public HttpHeaders getHeaders() {
				return request.headers().asHttpHeaders();
			}

			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body));
			}

		};
		// @formatter:off
		return this.multipartReader.readMono(MULTIPART_TYPE, message, Map.of())
				.map(TokenRequestConverter::fromParts)
				.defaultIfEmpty(new RequestParameters())
				.onErrorMap((ex) -> !(ex instanceof OAuth2Exception),
						(ex) -> OAuth2Exception.unsupportedGrantType("The request body is not valid multipart/form-data"));
		// @formatter:on
	}

	private static RequestParameters fromParts(MultiValueMap<String, Part> parts) {
		RequestParameters parameters = new RequestParameters();
		parts.forEach((name, values) -> {
			for (Part part : values) {
				if (part instanceof FormFieldPart field) {
					parameters.add(name, field.value());
				}
				else {
					parameters.addMalformed(name);
				}
			}
		});
		return parameters;
	}

	private static TokenRequest toTokenRequest(RequestParameters parameters, @Nullable String authorization) {
		// grant_type (REQUIRED): league compares it with ===, so "Client_Credentials", a number or a repeated value
		// is an unsupported grant type
		GrantType grantType = Optional.ofNullable(parameters.isMalformed("grant_type") ? null : parameters.optional("grant_type"))
			.flatMap(GrantType::fromValue)
			.orElseThrow(OAuth2Exception::unsupportedGrantType);
		ClientCredentials credentials = credentials(parameters, authorization);
		String scope = parameters.optional("scope");
		return switch (grantType) {
			case CLIENT_CREDENTIALS -> new ClientCredentialsRequest(credentials, scope);
			case PASSWORD -> new PasswordRequest(credentials, scope, parameters.optional("username"),
					parameters.optional("password"));
			case REFRESH_TOKEN -> new RefreshTokenRequest(credentials, scope, parameters.optional("refresh_token"));
			case AUTHORIZATION_CODE -> new AuthorizationCodeRequest(credentials, scope, parameters.optional("code"),
					parameters.optional("redirect_uri"), parameters.optional("code_verifier"));
		};
	}

	/**
	 * league {@code getClientCredentials}: {@code client_id} from the body, else the Basic user; {@code client_secret}
	 * from the body, else the Basic password, each on its own. Basic values are passed on as sent, raw or
	 * form-encoded: telling which takes a lookup of the client.
	 */
	static ClientCredentials credentials(RequestParameters parameters, @Nullable String authorization) {
		String clientId = parameters.optional("client_id");
		String clientSecret = parameters.optional("client_secret");
		List<String> basic = basicCredentials(authorization);
		boolean clientIdFromBasic = clientId == null && basic != null;
		if (clientIdFromBasic) {
			clientId = basic.get(0);
		}
		if (clientId == null) {
			throw OAuth2Exception.invalidRequest("client_id");
		}
		boolean clientSecretFromBasic = clientSecret == null && basic != null;
		if (clientSecretFromBasic) {
			clientSecret = basic.get(1);
		}
		return new ClientCredentials(clientId, clientSecret, clientIdFromBasic, clientSecretFromBasic);
	}

	/**
	 * The user and password of an HTTP Basic header, or {@code null} when the header is absent or not Basic.
	 * @throws OAuth2Exception {@code invalid_client} when it is Basic but cannot be decoded to {@code user:password}
	 */
	private static @Nullable List<String> basicCredentials(@Nullable String authorization) {
		if (authorization == null || authorization.length() < 6
				|| !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			return null;
		}
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw OAuth2Exception.invalidClient();
		}
		int colon = decoded.indexOf(':');
		if (colon < 0) {
			throw OAuth2Exception.invalidClient();
		}
		return List.of(decoded.substring(0, colon), decoded.substring(colon + 1));
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

}
