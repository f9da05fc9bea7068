package dev.portcullis.oauth2;

import java.util.LinkedHashMap;
import java.util.Map;

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

	/**
	 * league's payload, in its order: {@code error}, {@code error_description}, {@code hint} when set, and
	 * {@code message} (a copy of the description, for clients of league 5). The one place that builds it: the JSON
	 * body of the token endpoint and of the proxy's refusals, and the query of the authorize endpoint's error
	 * redirects.
	 */
	public Map<String, String> payload() {
		Map<String, String> payload = new LinkedHashMap<>();
		payload.put("error", this.code);
		payload.put("error_description", this.description);
		if (this.hint != null) {
			payload.put("hint", this.hint);
		}
		payload.put("message", this.description);
		return payload;
	}

}
