package dev.portcullis.oauth2.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What an access token is about.
 *
 * @param authorizationId the authorization the token belongs to; the prefix of its {@code jti}
 * @param clientId the client, the {@code aud} and {@code client_id} claims
 * @param subject the {@code sub} claim
 * @param scopes the {@code scopes} claim
 * @param issuedAt the time of issue (whole seconds are used)
 * @param lifetime how long the token is valid
 */
public record TokenContext(String authorizationId, String clientId, String subject, Set<String> scopes,
		Instant issuedAt, Duration lifetime) {
}
