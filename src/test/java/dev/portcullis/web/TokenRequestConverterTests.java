package dev.portcullis.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.TokenRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for the body parsers of {@link TokenRequestConverter} and for {@link RequestParameters}: what each content
 * type yields, which parameters are malformed, and league's {@code unsupported_grant_type} for an unreadable body.
 */
class TokenRequestConverterTests {

	private static final String NOT_FORM = "The request body is not valid application/x-www-form-urlencoded";

	private static final String NOT_JSON = "The request body is not valid JSON";

	private static final String NOT_AN_OBJECT = "The request body is not a JSON object";

	// application/x-www-form-urlencoded

	@Test
	void formWhenPairsThenValues() {
		RequestParameters parameters = form("grant_type=password&username=alice&password=p%40ss+word%21");

		assertThat(parameters.optional("grant_type")).isEqualTo("password");
		assertThat(parameters.optional("username")).isEqualTo("alice");
		assertThat(parameters.optional("password")).isEqualTo("p@ss word!");
		assertThat(parameters.optional("scope")).isNull();
	}

	@Test
	void formWhenEmptyBodyThenNoParameters() {
		RequestParameters parameters = form("");

		assertThat(parameters.optional("grant_type")).isNull();
		assertThat(parameters.isMalformed("grant_type")).isFalse();
	}

	@Test
	void formWhenEmptyPairsThenSkipped() {
		RequestParameters parameters = form("&a=1&&b=2&");

		assertThat(parameters.optional("a")).isEqualTo("1");
		assertThat(parameters.optional("b")).isEqualTo("2");
		assertThat(parameters.optional("")).isNull();
	}

	@Test
	void formWhenNameWithoutEqualsThenEmptyValue() {
		RequestParameters parameters = form("flag&a=1");

		assertThat(parameters.optional("flag")).isEmpty();
		assertThat(parameters.optional("a")).isEqualTo("1");
	}

	@Test
	void formWhenValueContainsEqualsThenSplitAtTheFirst() {
		assertThat(form("client_secret=a=b==").optional("client_secret")).isEqualTo("a=b==");
	}

	@Test
	void formWhenNameIsEncodedThenDecoded() {
		assertThat(form("client%5Fid=x").optional("client_id")).isEqualTo("x");
	}

	@Test
	void formWhenUnicodeEncodedOrRawThenPreserved() {
		RequestParameters parameters = form("a=%C3%A9%E2%82%AC%F0%9F%94%91&b=é€🔑&%C3%BC=ü");

		assertThat(parameters.optional("a")).isEqualTo("é€🔑");
		assertThat(parameters.optional("b")).isEqualTo("é€🔑");
		assertThat(parameters.optional("ü")).isEqualTo("ü");
	}

	@ParameterizedTest
	@ValueSource(strings = { "username=a&username=b", "username=a&username=a", "username=a&username=b&username=c",
			"username&username=a" })
	void formWhenParameterRepeatedThenInvalidRequestNamingItWhenRead(String body) {
		RequestParameters parameters = form(body + "&grant_type=password");

		assertThat(parameters.isMalformed("username")).isTrue();
		assertInvalidRequest(() -> parameters.optional("username"), "username");
		assertThat(parameters.optional("grant_type")).isEqualTo("password");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a=%zz", "a=%", "a=%4", "a=1&b=%G1", "%zz=1" })
	void formWhenBadPercentEncodingThenUnsupportedGrantType(String body) {
		assertUnsupportedGrantType(() -> TokenRequestConverter.form(bytes(body)), NOT_FORM);
	}

	// application/json

	@Test
	void jsonWhenStringMembersThenValues() {
		RequestParameters parameters = json("{\"grant_type\":\"client_credentials\",\"client_id\":\"c\",\"scope\":\"\"}");

		assertThat(parameters.optional("grant_type")).isEqualTo("client_credentials");
		assertThat(parameters.optional("client_id")).isEqualTo("c");
		assertThat(parameters.optional("scope")).isEmpty();
		assertThat(parameters.optional("client_secret")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "123", "1.5", "true", "false", "[\"s\"]", "[]", "{}", "{\"a\":\"b\"}" })
	void jsonWhenValueNotAStringThenMalformedWhenRead(String value) {
		RequestParameters parameters = json("{\"client_secret\":" + value + ",\"client_id\":\"c\"}");

		assertThat(parameters.isMalformed("client_secret")).isTrue();
		assertInvalidRequest(() -> parameters.optional("client_secret"), "client_secret");
		assertThat(parameters.optional("client_id")).isEqualTo("c");
	}

	@Test
	void jsonWhenValueIsNullThenAbsentAsInLeague() {
		// league: getRequestParameter() is `$parameters[$name] ?? $default`, so a JSON null is a missing parameter
		RequestParameters parameters = json("{\"scope\":null,\"client_secret\":null,\"client_id\":\"c\"}");

		assertThat(parameters.isMalformed("scope")).isFalse();
		assertThat(parameters.optional("scope")).isNull();
		assertThat(parameters.optional("client_secret")).isNull();
		assertThat(parameters.optional("client_id")).isEqualTo("c");
	}

	@Test
	void jsonWhenNestedValuesThenSkippedWithoutLeakingTheirMembers() {
		RequestParameters parameters = json("{\"a\":{\"grant_type\":\"x\",\"b\":{\"c\":[1,{\"d\":\"e\"}]}},"
				+ "\"list\":[{\"username\":\"mallory\"},[\"f\"]],\"grant_type\":\"password\",\"username\":\"alice\"}");

		assertThat(parameters.optional("grant_type")).isEqualTo("password");
		assertThat(parameters.optional("username")).isEqualTo("alice");
		assertThat(parameters.isMalformed("a")).isTrue();
		assertThat(parameters.isMalformed("list")).isTrue();
		assertThat(parameters.optional("b")).isNull();
		assertThat(parameters.optional("d")).isNull();
	}

	@Test
	void jsonWhenMemberRepeatedThenInvalidRequestNamingItWhenRead() {
		RequestParameters parameters = json("{\"refresh_token\":\"a\",\"refresh_token\":\"b\"}");

		assertInvalidRequest(() -> parameters.optional("refresh_token"), "refresh_token");
	}

	@Test
	void jsonWhenUnicodeThenPreserved() {
		RequestParameters parameters = json("{\"a\":\"é€🔑\",\"b\":\"\\u00e9\\u20ac\\ud83d\\udd11\",\"ü\":\"\\\"q\\\"\"}");

		assertThat(parameters.optional("a")).isEqualTo("é€🔑");
		assertThat(parameters.optional("b")).isEqualTo("é€🔑");
		assertThat(parameters.optional("ü")).isEqualTo("\"q\"");
	}

	@Test
	void jsonWhenWhitespaceAroundThenRead() {
		assertThat(json(" \n\t{ \"a\" : \"b\" }\r\n ").optional("a")).isEqualTo("b");
	}

	@Test
	void jsonWhenEmptyObjectThenNoParameters() {
		assertThat(json("{}").optional("grant_type")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "[]", "[{\"grant_type\":\"password\"}]", "\"grant_type\"", "42", "true", "null" })
	void jsonWhenNotAnObjectThenUnsupportedGrantType(String body) {
		assertUnsupportedGrantType(() -> TokenRequestConverter.json(bytes(body)), NOT_AN_OBJECT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "grant_type=password", "{grant_type:\"password\"}", "{'a':'b'}", "{\"a\":\"b\"",
			"{\"a\":", "{\"a\"", "{\"a\":\"b", "{\"a\":\"b\",}", "{\"a\" \"b\"}", "{\"a\":[1,2}", "{\"a\":\"b\"}x",
			"{\"a\":\"b\"}]" })
	void jsonWhenGarbageOrTruncatedThenUnsupportedGrantType(String body) {
		assertUnsupportedGrantType(() -> TokenRequestConverter.json(bytes(body)), NOT_JSON);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"a\":\"b\"}{\"c\":\"d\"}", "{\"a\":\"b\"} []", "{\"a\":\"b\"} 1" })
	void jsonWhenAnotherValueAfterTheObjectThenUnsupportedGrantType(String body) {
		assertUnsupportedGrantType(() -> TokenRequestConverter.json(bytes(body)), NOT_AN_OBJECT);
	}

	@Test
	void jsonWhenInvalidUtf8ThenUnsupportedGrantType() {
		byte[] body = { '{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}' };

		assertUnsupportedGrantType(() -> TokenRequestConverter.json(body), NOT_JSON);
	}

	// RequestParameters

	@Test
	void optionalWhenAbsentThenNull() {
		assertThat(new RequestParameters().optional("scope")).isNull();
	}

	@Test
	void addMalformedWhenStringAddedBeforeOrAfterThenStillMalformed() {
		RequestParameters before = new RequestParameters();
		before.add("scope", "read");
		before.addMalformed("scope");
		RequestParameters after = new RequestParameters();
		after.addMalformed("scope");
		after.add("scope", "read");

		assertInvalidRequest(() -> before.optional("scope"), "scope");
		assertInvalidRequest(() -> after.optional("scope"), "scope");
	}

	// the client's credentials

	/** Issue 12: a Basic value is passed on as sent, marked as from Basic, for the authenticator to read raw or decoded. */
	@Test
	void convertWhenBasicThenValuesAsSentAndMarkedEachOnItsOwn() {
		String basic = "Basic " + Base64.getEncoder().encodeToString("pw%2Dclient:a+b%2B:c".getBytes(StandardCharsets.UTF_8));

		assertThat(convert(basic, "grant_type=client_credentials").credentials())
			.isEqualTo(new ClientCredentials("pw%2Dclient", "a+b%2B:c", true, true));
		assertThat(convert(basic, "grant_type=client_credentials&client_id=body%2Did").credentials())
			.isEqualTo(new ClientCredentials("body-id", "a+b%2B:c", false, true));
		assertThat(convert(basic, "grant_type=client_credentials&client_secret=body%2Dsecret").credentials())
			.isEqualTo(new ClientCredentials("pw%2Dclient", "body-secret", true, false));
		assertThat(convert(null, "grant_type=client_credentials&client_id=a+b&client_secret=c%2Bd").credentials())
			.isEqualTo(new ClientCredentials("a b", "c+d", false, false));
	}

	private static TokenRequest convert(@Nullable String authorization, String form) {
		MockServerRequest.Builder request = MockServerRequest.builder()
			.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_FORM_URLENCODED_VALUE);
		if (authorization != null) {
			request.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		Flux<DataBuffer> body = Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes(form)));
		return new TokenRequestConverter(65_536).convert(request.body(body)).block(Duration.ofSeconds(5));
	}

	private static RequestParameters form(String body) {
		return TokenRequestConverter.form(bytes(body));
	}

	private static RequestParameters json(String body) {
		return TokenRequestConverter.json(bytes(body));
	}

	private static byte[] bytes(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

	private static void assertInvalidRequest(Runnable read, String parameter) {
		OAuth2Error error = catchOAuth2Error(read);
		assertThat(error.code()).isEqualTo("invalid_request");
		assertThat(error.httpStatus()).isEqualTo(400);
		assertThat(error.hint()).isEqualTo("Check the `" + parameter + "` parameter");
	}

	private static void assertUnsupportedGrantType(Runnable parse, String hint) {
		OAuth2Error error = catchOAuth2Error(parse);
		assertThat(error.code()).isEqualTo("unsupported_grant_type");
		assertThat(error.httpStatus()).isEqualTo(400);
		assertThat(error.description())
			.isEqualTo("The authorization grant type is not supported by the authorization server.");
		assertThat(error.hint()).isEqualTo(hint);
	}

	private static OAuth2Error catchOAuth2Error(Runnable action) {
		OAuth2Exception ex = catchThrowableOfType(OAuth2Exception.class, action::run);
		assertThat(ex).as("an OAuth2Exception").isNotNull();
		return ex.getError();
	}

}
