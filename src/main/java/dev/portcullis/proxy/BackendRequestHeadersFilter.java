package dev.portcullis.proxy;

import java.util.List;
import java.util.Map;

import dev.portcullis.config.PortcullisProperties;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Decides, in one copy of the request's headers, what the backend is told: runs after the gateway's other request
 * header filters but those that add a header of their own (tracing's, gRPC's), and
 * <ul>
 * <li>removes the hop-by-hop headers: those of Spring Cloud Gateway's {@code RemoveHopByHopHeadersFilter} (its
 * list, or {@code spring.cloud.gateway.server.webflux.filter.remove-hop-by-hop.headers}) and every header the client
 * names in {@code Connection} (RFC 9110 §7.6.1);</li>
 * <li>removes {@code Forwarded} and {@code X-Forwarded-*}, as Spring Cloud Gateway's removers did, unless the
 * gateway writes them itself ({@code spring.cloud.gateway.server.webflux.trusted-proxies}), and their look-alikes
 * always;</li>
 * <li>removes every header the client sent under the identity names, {@code X-Real-IP}, or a look-alike of them,
 * then sets the identity from the verified token ({@link CallerIdentity}).</li>
 * </ul>
 * Spring Cloud Gateway's three removers (hop-by-hop, {@code Forwarded}, {@code X-Forwarded-*}) each copied the whole
 * header map of every proxied request, and this filter copied it a fourth time: about 9 µs of a proxied request's
 * ~208 (bench/profile.sh proxy). {@code ProxyConfiguration} takes the removers out; {@link ResponseHopByHopHeadersFilter}
 * does the hop-by-hop one's work on responses.
 *
 * <p>A look-alike is a name that equals a protected one once every character other than a letter or digit is read
 * as {@code -}, in any case: {@code X_Auth_Subject} and {@code x.auth.subject} reach a CGI-style backend (PHP,
 * {@code php -S}) as {@code HTTP_X_AUTH_SUBJECT}, exactly as {@code X-Auth-Subject} does.
 */
public final class BackendRequestHeadersFilter implements HttpHeadersFilter, Ordered {

	/** Where the gateway's hop-by-hop filter was among the request's header filters. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 1;

	private static final String REAL_IP = "x-real-ip";

	private static final String FORWARDED = "forwarded";

	private static final String X_FORWARDED_PREFIX = "x-forwarded";

	/** The exact names Spring Cloud Gateway's {@code RemoveXForwardedHeadersFilter} removed. */
	private static final String X_FORWARDED_HEADERS = "x-forwarded-";

	private final ResponseHopByHopHeadersFilter hopByHop;

	private final String subject;

	private final String clientId;

	private final String scopes;

	/** The identity names and X-Real-IP, canonical: removed in every spelling. */
	private final String[] alwaysRemoved;

	private final boolean forwardedWrittenByGateway;

	private final boolean xForwardedWrittenByGateway;

	/**
	 * @param names the identity headers' names
	 * @param hopByHop the gateway's hop-by-hop filter for responses, whose headers, as configured at the time, this one
	 * removes from requests
	 * @param forwardedWrittenByGateway whether the gateway's {@code ForwardedHeadersFilter} writes {@code Forwarded}
	 * (then the client's, under that exact name, is its business)
	 * @param xForwardedWrittenByGateway whether the gateway's {@code XForwardedHeadersFilter} writes
	 * {@code X-Forwarded-*}
	 */
	public BackendRequestHeadersFilter(PortcullisProperties.IdentityHeaders names, ResponseHopByHopHeadersFilter hopByHop,
			boolean forwardedWrittenByGateway, boolean xForwardedWrittenByGateway) {
		this.hopByHop = hopByHop;
		this.subject = names.getSubject();
		this.clientId = names.getClientId();
		this.scopes = names.getScopes();
		this.alwaysRemoved = new String[] { canonical(this.subject), canonical(this.clientId), canonical(this.scopes), REAL_IP };
		this.forwardedWrittenByGateway = forwardedWrittenByGateway;
		this.xForwardedWrittenByGateway = xForwardedWrittenByGateway;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		HopByHopHeaders hopByHop = this.hopByHop.hopByHop();
		List<String> connectionOptions = input.getConnection();
		HttpHeaders filtered = new HttpHeaders();
		for (Map.Entry<String, List<String>> header : input.headerSet()) {
			String name = header.getKey();
			if (!hopByHop.isHopByHop(name, connectionOptions) && !isRemoved(name)) {
				filtered.addAll(name, header.getValue());
			}
		}
		CallerIdentity identity = CallerIdentity.of(exchange);
		if (identity != null) {
			filtered.set(this.subject, identity.subject());
			if (identity.clientId() != null) {
				filtered.set(this.clientId, identity.clientId());
			}
			filtered.set(this.scopes, identity.scopes());
		}
		return filtered;
	}

	/** Whether the header is removed as a forwarding, X-Real-IP or identity header (hop-by-hop ones aside). */
	boolean isRemoved(String name) {
		for (String removed : this.alwaysRemoved) {
			if (matches(name, removed, false)) {
				return true;
			}
		}
		if (matches(name, FORWARDED, false)) {
			return !isCanonical(name) || !this.forwardedWrittenByGateway;
		}
		if (matches(name, X_FORWARDED_PREFIX, true)) {
			return !isCanonical(name) || (!this.xForwardedWrittenByGateway
					&& name.regionMatches(true, 0, X_FORWARDED_HEADERS, 0, X_FORWARDED_HEADERS.length()));
		}
		return false;
	}

	/**
	 * Whether {@code name} equals {@code protectedName} (or starts with it, for a prefix) when letters are compared
	 * without case and any other character stands for the {@code -} of the protected name. No allocation: this runs
	 * for every header of every proxied request.
	 */
	static boolean matches(String name, String protectedName, boolean prefix) {
		int length = protectedName.length();
		if (prefix ? name.length() < length : name.length() != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char expected = protectedName.charAt(i);
			char actual = name.charAt(i);
			if (expected == '-') {
				if (isLetterOrDigit(actual)) {
					return false;
				}
			}
			else if (Character.toLowerCase(actual) != expected) {
				return false;
			}
		}
		return true;
	}

	/** A name whose only separators are {@code -}: the spelling the gateway's own forwarded-header filters handle. */
	private static boolean isCanonical(String name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!isLetterOrDigit(c) && c != '-') {
				return false;
			}
		}
		return true;
	}

	private static boolean isLetterOrDigit(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

	/** Lower-case, every separator a {@code -}, as {@link #matches} expects the protected name. */
	private static String canonical(String name) {
		StringBuilder canonical = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			canonical.append(isLetterOrDigit(c) ? Character.toLowerCase(c) : '-');
		}
		return canonical.toString();
	}

	@Override
	public int getOrder() {
		// where the gateway's hop-by-hop filter was: after TransferEncodingNormalizationHeadersFilter (1000), which reads
		// Transfer-Encoding before it goes, and OwnCookiesFilter; before the filters that add a header for the backend
		// (tracing's traceparent, gRPC's te: trailers), which keep every header they are given
		return ORDER;
	}

}
