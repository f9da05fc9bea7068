package dev.portcullis.oauth2;

/**
 * The error codes Portcullis answers with, as RFC 6749 and league/oauth2-server name them.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public final class OAuth2ErrorCodes {

	public static final String INVALID_REQUEST = "invalid_request";

	public static final String INVALID_CLIENT = "invalid_client";

	public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";

	public static final String INVALID_GRANT = "invalid_grant";

	public static final String INVALID_SCOPE = "invalid_scope";

	public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";

	public static final String UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type";

	public static final String ACCESS_DENIED = "access_denied";

	public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

	public static final String SERVER_ERROR = "server_error";

	public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

	/** Portcullis's own: the guessing limits refused the attempt (429 with Retry-After). */
	public static final String TOO_MANY_ATTEMPTS = "too_many_attempts";

	/** Portcullis's own: the CRM backend could not be reached (502). */
	public static final String BAD_GATEWAY = "bad_gateway";

	/** Portcullis's own: the CRM backend did not answer in time (504). */
	public static final String UPSTREAM_TIMEOUT = "upstream_timeout";

	/** Portcullis's own: no token could be obtained from the backend's own token endpoint (502). */
	public static final String UPSTREAM_CREDENTIALS_UNAVAILABLE = "upstream_credentials_unavailable";

	private OAuth2ErrorCodes() {
	}

}
