package dev.portcullis.proxy;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.support.LogSafe;
import dev.portcullis.web.OAuth2ResponseWriter;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Turns a backend that is down or slow into a prompt JSON answer instead of a hang or a bare 500: 504 when it did
 * not answer within {@code spring.cloud.gateway.server.webflux.httpclient.response-timeout}, 502 when it could not
 * be reached or broke the connection. The backend's own 4xx and 5xx are not errors here and pass through as they are.
 */
public final class UpstreamErrorWebExceptionHandler implements WebExceptionHandler, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamErrorWebExceptionHandler.class);

	private final OAuth2ResponseWriter writer;

	public UpstreamErrorWebExceptionHandler(OAuth2ResponseWriter writer) {
		this.writer = writer;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (isBrokenRequestBody(ex)) {
			// the client sent a body that cannot be decoded: the request to the backend was aborted
			// (BrokenRequestBodyHandler); the client gets 400 and the connection is closed. Nothing failed on our side.
			logger.info("Request body broke off for {} {}, the backend request was aborted: {}",
					exchange.getRequest().getMethod(), LogSafe.clean(exchange.getRequest().getPath()),
					LogSafe.clean(ex.getMessage()));
			if (exchange.getResponse().isCommitted()) {
				return Mono.empty();
			}
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
			return this.writer.error(exchange.getResponse(), OAuth2Exception.unreadableRequestBody().getError());
		}
		Object route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route == null || exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		if (isTimeout(ex)) {
			logger.warn("Backend timed out for {} {}", exchange.getRequest().getMethod(),
					LogSafe.clean(exchange.getRequest().getPath()));
			return this.writer.error(exchange.getResponse(), OAuth2Exception.upstreamTimeout().getError());
		}
		if (isUnreachable(ex)) {
			logger.warn("Backend unreachable for {} {}: {}", exchange.getRequest().getMethod(),
					LogSafe.clean(exchange.getRequest().getPath()), ex.toString());
			return this.writer.error(exchange.getResponse(), OAuth2Exception.badGateway().getError());
		}
		return Mono.error(ex);
	}

	private static boolean isTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException
					|| (cause instanceof ResponseStatusException status
							&& status.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value())) {
				return true;
			}
		}
		return false;
	}

	private static boolean isBrokenRequestBody(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BrokenRequestBodyHandler.BrokenRequestBodyException) {
				return true;
			}
		}
		return false;
	}

	private static boolean isUnreachable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof UnknownHostException
					|| cause instanceof PrematureCloseException || cause instanceof NotFoundException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		// before Spring Boot's error handler (-1), which would answer 500 with its own body
		return -2;
	}

}
