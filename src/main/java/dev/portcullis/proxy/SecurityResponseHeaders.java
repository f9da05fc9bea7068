package dev.portcullis.proxy;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Security's default response headers as its default writers write them ({@code ServerHttpSecurity.HeaderSpec}:
 * those that write without further settings), each group only when the response has none of its headers yet: the
 * cache headers, except on a 304; {@code X-Content-Type-Options}; {@code Strict-Transport-Security} over https only;
 * {@code X-Frame-Options}; {@code X-XSS-Protection}; {@code Referrer-Policy}.
 *
 * <p>Spring's writers, on every proxied response, built a case-insensitive set of their own one to three header names
 * and copied their headers through another: about 4 µs of a proxied request (bench/profile.sh proxy), for seven
 * constant headers. {@code SecurityResponseHeadersTests} holds what this writes to what Spring Security's writers write.
 */
final class SecurityResponseHeaders {

	private static final String[][] CACHE_CONTROL = {
			{ HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate" },
			{ HttpHeaders.PRAGMA, "no-cache" }, { HttpHeaders.EXPIRES, "0" } };

	private static final String[][] CONTENT_TYPE_OPTIONS = { { "X-Content-Type-Options", "nosniff" } };

	private static final String[][] STRICT_TRANSPORT_SECURITY = {
			{ "Strict-Transport-Security", "max-age=31536000 ; includeSubDomains" } };

	private static final String[][] FRAME_OPTIONS = { { "X-Frame-Options", "DENY" } };

	private static final String[][] XSS_PROTECTION = { { "X-XSS-Protection", "0" } };

	private static final String[][] REFERRER_POLICY = { { "Referrer-Policy", "no-referrer" } };

	private static final int NOT_MODIFIED = 304;

	private SecurityResponseHeaders() {
	}

	static void write(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		HttpStatusCode status = response.getStatusCode();
		if (status == null || status.value() != NOT_MODIFIED) {
			writeUnlessAnyPresent(headers, CACHE_CONTROL);
		}
		writeUnlessAnyPresent(headers, CONTENT_TYPE_OPTIONS);
		if ("https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme())) {
			writeUnlessAnyPresent(headers, STRICT_TRANSPORT_SECURITY);
		}
		writeUnlessAnyPresent(headers, FRAME_OPTIONS);
		writeUnlessAnyPresent(headers, XSS_PROTECTION);
		writeUnlessAnyPresent(headers, REFERRER_POLICY);
	}

	private static void writeUnlessAnyPresent(HttpHeaders headers, String[][] group) {
		for (String[] header : group) {
			if (headers.containsHeader(header[0])) {
				return;
			}
		}
		for (String[] header : group) {
			headers.set(header[0], header[1]);
		}
	}

}
