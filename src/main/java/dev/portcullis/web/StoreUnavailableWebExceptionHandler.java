package dev.portcullis.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.support.LogSafe;
import dev.portcullis.support.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers any request that failed because the store is unavailable ({@link StoreFailures}) with 503 and
 * {@code Retry-After}, wherever the failure arose: the sign-in and consent pages, the admin pages and API, the
 * security filters in front of them (an administrator or a session looked up in Redis). A browser gets a short
 * page, anything else league's {@code temporarily_unavailable} envelope, as the token endpoint and the proxy answer
 * it. One log line without a stack trace: an outage is an operational event, not a bug. Other failures pass on to
 * Spring Boot's handler (500, logged with their stack trace).
 */
public final class StoreUnavailableWebExceptionHandler implements WebExceptionHandler, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(StoreUnavailableWebExceptionHandler.class);

	private static final String PAGE = """
			<!DOCTYPE html>
			<html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable · Portcullis</title>
			<link rel="stylesheet" href="/assets/portcullis.css"></head>
			<body><main><h1>Temporarily unavailable</h1>
			<p>Portcullis cannot reach its store just now. Nothing was changed; try again in a moment.</p></main></body></html>
			""";

	private final byte[] json;

	public StoreUnavailableWebExceptionHandler(OAuth2ResponseWriter writer) {
		this.json = writer.body(OAuth2Exception.temporarilyUnavailable().getError());
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		// a routed request failed at the backend (UpstreamErrorWebExceptionHandler answers it): the store was
		// asked, in the security filters, before the route was chosen
		if (exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) != null || !StoreFailures.isUnavailable(ex)
				|| exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		logger.warn("{} {} answered 503, the store is unavailable: {}", exchange.getRequest().getMethod(),
				LogSafe.clean(exchange.getRequest().getPath()), LogSafe.clean(StoreFailures.describe(ex)));
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		HttpHeaders headers = response.getHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "1");
		headers.setCacheControl("no-store");
		boolean page = prefersHtml(exchange.getRequest().getHeaders().getAccept());
		headers.setContentType(page ? new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8) : MediaType.APPLICATION_JSON);
		byte[] body = page ? PAGE.getBytes(StandardCharsets.UTF_8) : this.json;
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	/** A browser navigating names HTML; an API client asks for JSON or anything. */
	private static boolean prefersHtml(List<MediaType> accept) {
		return accept.stream().anyMatch((type) -> !type.isWildcardType() && type.isCompatibleWith(MediaType.TEXT_HTML));
	}

	@Override
	public int getOrder() {
		// before Spring Boot's error handler (-1), which would answer 500 and log the stack trace
		return -2;
	}

}
