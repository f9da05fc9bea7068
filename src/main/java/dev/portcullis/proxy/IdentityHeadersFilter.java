package dev.portcullis.proxy;

import java.util.List;
import java.util.Map;

import dev.portcullis.config.PortcullisProperties;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Decides last what the backend is told about the caller: runs after every other header filter of the gateway
 * (the hop-by-hop filter among them, which removes whatever the client names in {@code Connection}), removes every
 * header the client sent under the identity names or a look-alike of them, then sets the identity from the verified
 * token ({@link CallerIdentity}).
 *
 * <p>A look-alike is a name that equals a protected one once every character other than a letter or digit is read
 * as {@code -}, in any case: {@code X_Auth_Subject} and {@code x.auth.subject} reach a CGI-style backend (PHP,
 * {@code php -S}) as {@code HTTP_X_AUTH_SUBJECT}, exactly as {@code X-Auth-Subject} does. The same holds for
 * {@code X-Real-IP}, which the gateway never relays, and for {@code Forwarded} and {@code X-Forwarded-*}: their
 * exact spellings are the gateway's own filters' business (removed unless
 * {@code spring.cloud.gateway.server.webflux.trusted-proxies} is set), their look-alikes are always removed.
 */
public final class IdentityHeadersFilter implements HttpHeadersFilter, Ordered {

	private static final String REAL_IP = "x-real-ip";

	private static final String FORWARDED = "forwarded";

	private static final String X_FORWARDED_PREFIX = "x-forwarded";

	private final String subject;

	private final String clientId;

	private final String scopes;

	/** The identity names and X-Real-IP, canonical: removed in every spelling. */
	private final String[] alwaysRemoved;

	public IdentityHeadersFilter(PortcullisProperties.IdentityHeaders names) {
		this.subject = names.getSubject();
		this.clientId = names.getClientId();
		this.scopes = names.getScopes();
		this.alwaysRemoved = new String[] { canonical(this.subject), canonical(this.clientId), canonical(this.scopes), REAL_IP };
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		HttpHeaders filtered = new HttpHeaders();
		for (Map.Entry<String, List<String>> header : input.headerSet()) {
			if (!isRemoved(header.getKey())) {
				filtered.addAll(header.getKey(), header.getValue());
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

	boolean isRemoved(String name) {
		for (String removed : this.alwaysRemoved) {
			if (matches(name, removed, false)) {
				return true;
			}
		}
		return (matches(name, FORWARDED, false) || matches(name, X_FORWARDED_PREFIX, true)) && !isCanonical(name);
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

	/** A name whose only separators are {@code -}: the spelling the gateway's own filters handle. */
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
		// after RemoveHopByHopHeadersFilter (LOWEST_PRECEDENCE - 1), which honours the client's Connection header
		return Ordered.LOWEST_PRECEDENCE;
	}

}
