package dev.portcullis.oauth2;

import org.jspecify.annotations.Nullable;

/**
 * One OAuth2 error as league/oauth2-server 8 renders it: the code, the description, an optional
 * hint and the HTTP status. Built only through the factories of {@link OAuth2Exception}.
 *
 * @param code the RFC 6749 error code, e.g. {@code invalid_client}
 * @param description the human-readable {@code error_description} (league's fixed text)
 * @param hint what to check, or {@code null} when league sends no hint
 * @param httpStatus the status league answers with
 */
public record OAuth2Error(String code, String description, @Nullable String hint, int httpStatus) {
}
