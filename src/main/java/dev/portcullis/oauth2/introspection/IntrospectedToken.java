package dev.portcullis.oauth2.introspection;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The answer to an introspection request (RFC 7662 §2.2): {@code active}, and for an active token the members that
 * describe it. An inactive token is described by nothing else (§2.2: "the authorization server SHOULD NOT include
 * any additional information about an inactive token").
 *
 * @param active whether the token may be used now
 * @param scopes {@code scope}, written space-separated
 * @param clientId {@code client_id}: the client the token was issued to
 * @param username {@code username}: the resource owner's, when the token acts for a user
 * @param tokenType {@code token_type}: {@code Bearer} for an access token; none for a refresh token, which is not
 * presented to resource servers and so has no RFC 6749 §7.1 type (Spring Authorization Server answers it so too)
 * @param expiresAt {@code exp}
 * @param issuedAt {@code iat}
 * @param notBefore {@code nbf}
 * @param subject {@code sub}
 * @param audience {@code aud}
 * @param issuer {@code iss}
 * @param jti {@code jti}
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7662#section-2.2">RFC 7662 §2.2</a>
 */
public record IntrospectedToken(boolean active, Set<String> scopes, @Nullable String clientId,
		@Nullable String username, @Nullable String tokenType, @Nullable Instant expiresAt, @Nullable Instant issuedAt,
		@Nullable Instant notBefore, @Nullable String subject, List<String> audience, @Nullable String issuer,
		@Nullable String jti) {

	private static final IntrospectedToken INACTIVE = new IntrospectedToken(false, Set.of(), null, null, null, null,
			null, null, null, List.of(), null, null);

	public IntrospectedToken {
		scopes = Set.copyOf(scopes);
		audience = List.copyOf(audience);
	}

	/** {@code {"active":false}}: expired, revoked, unknown, malformed, or not ours. */
	public static IntrospectedToken inactive() {
		return INACTIVE;
	}

}
