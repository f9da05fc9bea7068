package dev.portcullis.web;

import dev.portcullis.oauth2.IssuedTokens;
import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.oauth2.OAuth2ErrorCodes;
import dev.portcullis.oauth2.TokenRequest;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.support.LogSafe;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the token endpoint tells operators: the counters {@code portcullis.tokens.issued} (by grant and client) and
 * {@code portcullis.token.errors} (by error code), and one log line per token issued or refused. Neither ever holds
 * a secret or a token; every value a caller sent is cleaned ({@link LogSafe}) before it is logged.
 */
public final class TokenEndpointObserver {

	private static final Logger logger = LoggerFactory.getLogger("dev.portcullis.tokens");

	private final MeterRegistry meters;

	public TokenEndpointObserver(MeterRegistry meters) {
		this.meters = meters;
	}

	void issued(TokenRequest request, RegisteredClient client, IssuedTokens tokens) {
		this.meters.counter("portcullis.tokens.issued", "grant_type", request.grantType().value(), "client_id", client.id())
			.increment();
		logger.info("token issued grant_type={} client_id={} jti={} expires_at={}", request.grantType().value(),
				LogSafe.clean(client.id()), tokens.accessToken().jti(), tokens.accessToken().expiresAt());
	}

	void refused(@Nullable TokenRequest request, OAuth2Error error) {
		this.meters.counter("portcullis.token.errors", "error", error.code()).increment();
		if (OAuth2ErrorCodes.TOO_MANY_ATTEMPTS.equals(error.code())) {
			// a flood of refusals must not become a flood of log lines: the counter shows them, the guard logs each block
			logger.debug("token refused error={} client_id={}", error.code(),
					(request != null) ? LogSafe.clean(request.credentials().clientId()) : "-");
			return;
		}
		logger.info("token refused error={} status={} grant_type={} client_id={} hint={}", error.code(),
				error.httpStatus(), (request != null) ? request.grantType().value() : "-",
				(request != null) ? LogSafe.clean(request.credentials().clientId()) : "-", LogSafe.clean(error.hint()));
	}

}
