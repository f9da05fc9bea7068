package dev.portcullis.proxy;

import java.util.List;
import java.util.Set;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Keeps the gateway's own cookies (the browser session's, the login form's CSRF token, the page a login returns to)
 * from the backend: a browser sends them with every request to the gateway's host, proxied ones included, and a
 * backend that read the session cookie could act as whoever is signed in to the pages, an administrator among them.
 * Every other cookie goes through unchanged, in its order. A request without a {@code Cookie} header costs one
 * lookup.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6265#section-5.4">RFC 6265 §5.4, the Cookie header</a>
 */
public final class OwnCookiesFilter implements HttpHeadersFilter, Ordered {

	private final Set<String> names;

	/**
	 * @param names the gateway's cookie names, exactly as it sets them (cookie names are case-sensitive)
	 */
	public OwnCookiesFilter(Set<String> names) {
		this.names = Set.copyOf(names);
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		List<String> values = input.get(HttpHeaders.COOKIE);
		if (values == null) {
			return input;
		}
		StringBuilder kept = new StringBuilder();
		boolean removed = false;
		for (String value : values) {
			for (String pair : value.split(";")) {
				String cookie = pair.strip();
				if (this.names.contains(name(cookie))) {
					removed = true;
				}
				else if (!cookie.isEmpty()) {
					kept.append((kept.length() > 0) ? "; " : "").append(cookie);
				}
			}
		}
		if (!removed) {
			return input;
		}
		HttpHeaders filtered = new HttpHeaders();
		filtered.addAll(input);
		if (kept.length() > 0) {
			filtered.set(HttpHeaders.COOKIE, kept.toString());
		}
		else {
			filtered.remove(HttpHeaders.COOKIE);
		}
		return filtered;
	}

	/** The name of a {@code name=value} pair; a pair without {@code =} counts as a name, as PHP reads it. */
	private static String name(String pair) {
		int equals = pair.indexOf('=');
		return ((equals < 0) ? pair : pair.substring(0, equals)).strip();
	}

	@Override
	public int getOrder() {
		// before BackendRequestHeadersFilter, which decides what the backend is told
		return BackendRequestHeadersFilter.ORDER - 1;
	}

}
