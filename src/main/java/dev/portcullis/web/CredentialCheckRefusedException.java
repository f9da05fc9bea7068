package dev.portcullis.web;

import java.time.Duration;

import dev.portcullis.oauth2.OAuth2ErrorCodes;
import dev.portcullis.oauth2.OAuth2Exception;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;

/**
 * A password check that was not made: the guessing limits refused it (429) or too many checks were waiting (503).
 * For the pages and admin Basic, which speak Spring Security's exceptions rather than OAuth2's; both answer it with
 * its status and {@code Retry-After}, never as a wrong password.
 */
public final class CredentialCheckRefusedException extends AuthenticationException {

	private final int status;

	private final Duration retryAfter;

	private CredentialCheckRefusedException(String message, int status, Duration retryAfter) {
		super(message);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	public int status() {
		return this.status;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * What a failed {@code UserAuthenticator} check becomes: a refusal when the check was not made, otherwise
	 * {@link BadCredentialsException}, the same for a wrong password, an unknown or inactive user.
	 */
	public static AuthenticationException of(OAuth2Exception ex) {
		String code = ex.getError().code();
		if (ex.getRetryAfter() != null && (OAuth2ErrorCodes.TOO_MANY_ATTEMPTS.equals(code)
				|| OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE.equals(code))) {
			return new CredentialCheckRefusedException(ex.getError().description(), ex.getError().httpStatus(),
					ex.getRetryAfter());
		}
		return new BadCredentialsException("Invalid username or password");
	}

}
