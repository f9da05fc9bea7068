package dev.portcullis.proxy;

import java.util.Set;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Cloud Gateway's hop-by-hop filter for backend responses only, with its settings
 * ({@code spring.cloud.gateway.server.webflux.filter.remove-hop-by-hop.*}): requests get the same headers removed by
 * {@link BackendRequestHeadersFilter}, in its one copy of their headers. Its one pass replaces the gateway's, which
 * copied the set of names and lower-cased every header's name of every response (bench/profile.sh proxy).
 */
public final class ResponseHopByHopHeadersFilter extends RemoveHopByHopHeadersFilter {

	private volatile HopByHopHeaders hopByHop;

	public ResponseHopByHopHeadersFilter() {
		// a copy of the gateway's shared default set: binding the setting fills the set the getter returns in place
		setHeaders(HEADERS_REMOVED_ON_REQUEST);
	}

	@Override
	public void setHeaders(Set<String> headers) {
		super.setHeaders(headers);
		this.hopByHop = new HopByHopHeaders(getHeaders());
	}

	/** The hop-by-hop headers as now configured, which requests lose too ({@link BackendRequestHeadersFilter}). */
	HopByHopHeaders hopByHop() {
		return this.hopByHop;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		return this.hopByHop.without(input);
	}

	@Override
	public boolean supports(Type type) {
		return type == Type.RESPONSE;
	}

}
