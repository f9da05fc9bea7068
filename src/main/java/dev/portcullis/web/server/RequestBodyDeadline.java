package dev.portcullis.web.server;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * A deadline for the request bodies the gateway reads itself (the token endpoint, the login and consent forms, the
 * admin API and pages): the whole body must arrive within it, counted from when the handler starts reading.
 * Otherwise {@code 408} with {@code Connection: close}. Without it a client could hold a connection for days by
 * sending a small body one byte at a time, past the header-read and idle timeouts, and fill the connection cap.
 *
 * <p>Bodies a route forwards to a backend are not limited: an upload streams for as long as it takes. Which one a
 * body is, is decided when it is read, once the handler is known ({@link ServerWebExchangeUtils#GATEWAY_ROUTE_ATTR}).
 */
public final class RequestBodyDeadline implements WebFilter, Ordered {

	private final Duration timeout;

	public RequestBodyDeadline(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		if (headers.getContentLength() <= 0 && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
			return chain.filter(exchange);
		}
		ServerHttpRequest withDeadline = new ServerHttpRequestDecorator(request) {

			@Override
			public Flux<DataBuffer> getBody() {
				Flux<DataBuffer> body = super.getBody();
				return (exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) != null) ? body
						: withDeadline(body, exchange.getResponse());
			}

		};
		// @formatter:off
		return chain.filter(exchange.mutate().request(withDeadline).build())
				.onErrorResume((ex) -> isLate(ex) && !exchange.getResponse().isCommitted(),
						(ex) -> requestTimeout(exchange.getResponse()));
		// @formatter:on
	}

	/** The body, failing with {@link LateBodyException} if it has not ended by the deadline. */
	private Flux<DataBuffer> withDeadline(Flux<DataBuffer> body, ServerHttpResponse response) {
		return Flux.defer(() -> {
			long deadline = System.nanoTime() + this.timeout.toNanos();
			// @formatter:off
			return body.timeout(Mono.delay(this.timeout),
						(buffer) -> Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))
					.onErrorMap(TimeoutException.class, (ex) -> {
						// whoever answers, the connection is closed after it: the rest of the body is not waited for
						response.getHeaders().set(HttpHeaders.CONNECTION, "close");
						return new LateBodyException(this.timeout);
					});
			// @formatter:on
		});
	}

	/** Whether the body missed its deadline somewhere behind {@code ex}. */
	public static boolean isLate(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof LateBodyException) {
				return true;
			}
		}
		return false;
	}

	private static Mono<Void> requestTimeout(ServerHttpResponse response) {
		response.setStatusCode(HttpStatus.REQUEST_TIMEOUT);
		response.getHeaders().set(HttpHeaders.CONNECTION, "close");
		return response.setComplete();
	}

	@Override
	public int getOrder() {
		// outside Spring Security's chain (-100), which reads the login form for its CSRF token
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	/** The request body did not arrive before its deadline. */
	public static final class LateBodyException extends RuntimeException {

		LateBodyException(Duration timeout) {
			super("The request body did not arrive within " + timeout.toMillis() + " ms", null, false, false);
		}

	}

}
