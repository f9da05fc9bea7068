package dev.portcullis.oauth2;

import java.util.Arrays;
import java.util.Optional;

/**
 * The grant types Portcullis knows, by their wire value.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4">RFC 6749 §4</a>
 */
public enum GrantType {

	CLIENT_CREDENTIALS("client_credentials"),

	PASSWORD("password"),

	REFRESH_TOKEN("refresh_token"),

	AUTHORIZATION_CODE("authorization_code");

	private final String value;

	GrantType(String value) {
		this.value = value;
	}

	/** The value of the {@code grant_type} parameter, e.g. {@code client_credentials}. */
	public String value() {
		return this.value;
	}

	/** Matches case-sensitively, as league does ({@code Client_Credentials} is not a grant type). */
	public static Optional<GrantType> fromValue(String value) {
		return Arrays.stream(values()).filter((grantType) -> grantType.value.equals(value)).findFirst();
	}

	@Override
	public String toString() {
		return this.value;
	}

}
