package dev.portcullis.proxy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CallerIdentity}: what the backend is told of the caller, from the verified token's claims. */
class CallerIdentityTests {

	@Test
	void ofWhenScopesArrayThenJoinedInOrderWithoutNulls() {
		Jwt token = token().claim("scopes", Arrays.asList("accounts.read", null, "contacts.write")).build();

		CallerIdentity identity = CallerIdentity.of(token);

		assertThat(identity.scopes()).isEqualTo("accounts.read contacts.write");
		assertThat(identity.subject()).isEqualTo("user-1");
		assertThat(identity.clientId()).isEqualTo("client-1");
	}

	@Test
	void ofWhenNoScopesThenEmpty() {
		assertThat(CallerIdentity.of(token().claim("scopes", List.of()).build()).scopes()).isEmpty();
		assertThat(CallerIdentity.of(token().build()).scopes()).isEmpty();
	}

	private static Jwt.Builder token() {
		return Jwt.withTokenValue("token").header("alg", "RS256").subject("user-1").claim("client_id", "client-1");
	}

}
