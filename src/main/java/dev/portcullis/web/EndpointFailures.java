package dev.portcullis.web;

import java.util.concurrent.RejectedExecutionException;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.support.StoreFailures;
import dev.portcullis.web.server.RequestBodyDeadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed request to an OAuth2 endpoint (token, revocation) answers, in league's terms.
 */
final class EndpointFailures {

	private static final Logger logger = LoggerFactory.getLogger(EndpointFailures.class);

	private EndpointFailures() {
	}

	/**
	 * The refusal for a failure: an {@link OAuth2Exception} as it is; a late body 408; the store unavailable (down,
	 * too slow, restarting, failing over) or the password-hash queue full 503, since nothing happened and the client
	 * may retry; anything else 500, logged.
	 * @param request what was asked, for the log ("Token request", "Revocation")
	 */
	static OAuth2Exception toOAuth2Exception(Throwable ex, String request) {
		if (ex instanceof OAuth2Exception oauth2) {
			return oauth2;
		}
		if (RequestBodyDeadline.isLate(ex)) {
			return OAuth2Exception.requestTimeout();
		}
		if (StoreFailures.isUnavailable(ex) || ex instanceof RejectedExecutionException) {
			logger.warn("{} refused, the store or the hashing pool is unavailable: {}", request, StoreFailures.describe(ex));
			return OAuth2Exception.temporarilyUnavailable();
		}
		logger.error("{} failed unexpectedly", request, ex);
		return OAuth2Exception.serverError();
	}

}
