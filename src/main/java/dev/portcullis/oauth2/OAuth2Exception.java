package dev.portcullis.oauth2;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The one exception of the protocol core. Every instance comes from a named factory below, so the
 * vocabulary of errors, their texts and their statuses stay those of league/oauth2-server 8.4
 * (SuiteCRM 7.14+), which existing SuiteCRM clients parse.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public final class OAuth2Exception extends RuntimeException {

	private static final String INVALID_REQUEST_DESCRIPTION = "The request is missing a required parameter, includes an invalid "
			+ "parameter value, includes a parameter more than once, or is otherwise malformed.";

	private static final String ACCESS_DENIED_DESCRIPTION = "The resource owner or authorization server denied the request.";

	private final OAuth2Error error;

	private final @Nullable Duration retryAfter;

	private OAuth2Exception(OAuth2Error error, @Nullable Duration retryAfter) {
		super(error.hint() == null ? error.code() : error.code() + ": " + error.hint(), null, false, false);
		this.error = error;
		this.retryAfter = retryAfter;
	}

	public OAuth2Error getError() {
		return this.error;
	}

	/** When the client may try again ({@code Retry-After}), or {@code null} when waiting would change nothing. */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/** league {@code invalidRequest($parameter)}: a required parameter is missing, repeated or of the wrong type. */
	public static OAuth2Exception invalidRequest(String parameter) {
		return invalidRequestWithHint("Check the `" + parameter + "` parameter");
	}

	/** {@code invalid_request} with a free hint, for malformed requests that no single parameter explains. */
	public static OAuth2Exception invalidRequestWithHint(String hint) {
		return of(OAuth2ErrorCodes.INVALID_REQUEST, INVALID_REQUEST_DESCRIPTION, hint, 400);
	}

	/** The body did not arrive in time (the connection is closed after the answer). */
	public static OAuth2Exception requestTimeout() {
		return of(OAuth2ErrorCodes.INVALID_REQUEST, INVALID_REQUEST_DESCRIPTION, "The request body did not arrive in time",
				408);
	}

	/** The body is larger than the token endpoint accepts. */
	public static OAuth2Exception requestTooLarge(long maxBytes) {
		return of(OAuth2ErrorCodes.INVALID_REQUEST, INVALID_REQUEST_DESCRIPTION,
				"The request body exceeds " + maxBytes + " bytes", 413);
	}

	/** The authorization request's {@code response_type} is not {@code code}, the only one Portcullis offers. */
	public static OAuth2Exception unsupportedResponseType() {
		return of(OAuth2ErrorCodes.UNSUPPORTED_RESPONSE_TYPE,
				"The authorization server does not support obtaining an authorization code using this method.", null, 400);
	}

	/** league {@code unsupportedGrantType()}: also what league answers when the body cannot be parsed. */
	public static OAuth2Exception unsupportedGrantType() {
		return unsupportedGrantType("Check that all required parameters have been provided");
	}

	/** {@code unsupported_grant_type} with a hint that names why the body could not be read. */
	public static OAuth2Exception unsupportedGrantType(String hint) {
		return of(OAuth2ErrorCodes.UNSUPPORTED_GRANT_TYPE,
				"The authorization grant type is not supported by the authorization server.", hint, 400);
	}

	/**
	 * league {@code invalidClient()}: unknown client, wrong secret, grant not allowed for the client. One text
	 * for all of them so that the answer never reveals which clients exist.
	 */
	public static OAuth2Exception invalidClient() {
		return of(OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication failed", null, 401);
	}

	/**
	 * The authenticated client may not use the grant now, e.g. its associated user is inactive (SuiteCRM answers
	 * 500 "No user found").
	 */
	public static OAuth2Exception unauthorizedClient(String hint) {
		return of(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
				"The authenticated client is not authorized to use this authorization grant type.", hint, 400);
	}

	/**
	 * The authenticated client may not use the introspection endpoint (RFC 7662 §4). 403 as Keycloak answers: the
	 * client did authenticate (§2.3's 401 is for credentials that fail), it is just not a caller the endpoint answers.
	 * The same whatever the token, so the refusal says nothing about it.
	 */
	public static OAuth2Exception introspectionNotAllowed() {
		return of(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The authenticated client is not authorized to introspect tokens.",
				"An administrator allows a confidential client (a resource server) to introspect tokens", 403);
	}

	/** league {@code invalidScope($scope)}. */
	public static OAuth2Exception invalidScope(String scope) {
		return of(OAuth2ErrorCodes.INVALID_SCOPE, "The requested scope is invalid, unknown, or malformed",
				"Check the `" + scope + "` scope", 400);
	}

	/** league {@code invalidCredentials()}: wrong username or password (SuiteCRM answers 500 here). */
	public static OAuth2Exception invalidCredentials() {
		return of(OAuth2ErrorCodes.INVALID_GRANT, "The user credentials were incorrect.", null, 400);
	}

	/**
	 * league 8 {@code invalidRefreshToken($hint)}: its non-standard {@code invalid_request} with 401, which
	 * SuiteCRM clients expect instead of RFC 6749's {@code invalid_grant} with 400.
	 */
	public static OAuth2Exception invalidRefreshToken(String hint) {
		return of(OAuth2ErrorCodes.INVALID_REQUEST, "The refresh token is invalid.", hint, 401);
	}

	/** league {@code invalidGrant($hint)}. */
	public static OAuth2Exception invalidGrant(String hint) {
		return of(OAuth2ErrorCodes.INVALID_GRANT,
				"The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token "
						+ "is invalid, expired, revoked, does not match the redirection URI used in the authorization request, "
						+ "or was issued to another client.",
				hint, 400);
	}

	/** league {@code accessDenied($hint)}: what the resource server answers for an unusable bearer token. */
	public static OAuth2Exception accessDenied(String hint) {
		return of(OAuth2ErrorCodes.ACCESS_DENIED, ACCESS_DENIED_DESCRIPTION, hint, 401);
	}

	/**
	 * RFC 6750 {@code insufficient_scope}: the token is valid but lacks a scope the route requires.
	 */
	public static OAuth2Exception insufficientScope(String requiredScopes) {
		return of(OAuth2ErrorCodes.INSUFFICIENT_SCOPE,
				"The request requires higher privileges than provided by the access token.",
				"Required scopes: " + requiredScopes, 403);
	}

	/** The store cannot be reached, or too many password checks are waiting: the caller may retry; nothing was issued. */
	public static OAuth2Exception temporarilyUnavailable() {
		return new OAuth2Exception(new OAuth2Error(OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE,
				"The authorization server is currently unable to handle the request due to a temporary overloading or "
						+ "maintenance of the server.",
				"Try again later", 503), Duration.ofSeconds(1));
	}

	/**
	 * Too many failed credential attempts for this client id or username from this address, or from this address
	 * at all: refused without checking anything until {@code retryAfter} has passed (league has no such limit).
	 */
	public static OAuth2Exception tooManyAttempts(Duration retryAfter) {
		return new OAuth2Exception(new OAuth2Error(OAuth2ErrorCodes.TOO_MANY_ATTEMPTS,
				"Too many failed attempts to authenticate.", "Try again in " + retryAfter.toSeconds() + " seconds", 429),
				retryAfter);
	}

	/** A proxied request's body broke off: the request to the backend was aborted (the connection is closed). */
	public static OAuth2Exception unreadableRequestBody() {
		return of(OAuth2ErrorCodes.INVALID_REQUEST, "The request body could not be read.", null, 400);
	}

	/** The gateway's own answer for a backend that could not be reached or broke the connection. */
	public static OAuth2Exception badGateway() {
		return of(OAuth2ErrorCodes.BAD_GATEWAY, "The CRM backend could not be reached.", null, 502);
	}

	/**
	 * The route reaches the backend with a token the backend issued, and its token endpoint did not give one (down,
	 * refusing the gateway's credentials, or answering something that is not a token): the caller's request was not
	 * sent.
	 */
	public static OAuth2Exception upstreamCredentialsUnavailable() {
		return of(OAuth2ErrorCodes.UPSTREAM_CREDENTIALS_UNAVAILABLE,
				"The gateway could not obtain a token from the CRM backend's token endpoint.",
				"The request was not sent to the CRM backend; try again later", 502);
	}

	/**
	 * The caller's client names a backend credential the gateway no longer has: the route's default could give the
	 * caller more rights at the backend than intended, so nothing is sent.
	 */
	public static OAuth2Exception upstreamCredentialRemoved() {
		return of(OAuth2ErrorCodes.UPSTREAM_CREDENTIALS_UNAVAILABLE,
				"The backend credential this client acts with is not configured at the gateway.",
				"The request was not sent to the CRM backend; an administrator must choose another backend credential "
						+ "for the client",
				502);
	}

	/**
	 * The route reaches the backend with the gateway's backend credentials, which only tokens of the
	 * client_credentials grant may use unless configured otherwise: every user would act as the one client.
	 */
	public static OAuth2Exception upstreamCredentialsRefused() {
		return of(OAuth2ErrorCodes.ACCESS_DENIED, ACCESS_DENIED_DESCRIPTION,
				"This route reaches the CRM with the gateway's backend credentials, which only client_credentials "
						+ "tokens may use",
				403);
	}

	/** The gateway's own answer for a backend that did not answer within the gateway's response timeout. */
	public static OAuth2Exception upstreamTimeout() {
		return of(OAuth2ErrorCodes.UPSTREAM_TIMEOUT, "The CRM backend did not answer in time.", null, 504);
	}

	/** league {@code serverError($hint)}: an unexpected condition, never carrying internal details. */
	public static OAuth2Exception serverError() {
		return of(OAuth2ErrorCodes.SERVER_ERROR,
				"The authorization server encountered an unexpected condition which prevented it from fulfilling the request.",
				null, 500);
	}

	private static OAuth2Exception of(String code, String description, @Nullable String hint, int status) {
		return new OAuth2Exception(new OAuth2Error(code, description, hint, status), null);
	}

}
