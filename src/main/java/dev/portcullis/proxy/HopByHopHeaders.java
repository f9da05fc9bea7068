package dev.portcullis.proxy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.http.HttpHeaders;

/**
 * The hop-by-hop headers of one message (RFC 9110 §7.6.1): the configured names and whatever its {@code Connection}
 * header names, compared without case and without a lower-case copy of each name.
 */
final class HopByHopHeaders {

	private final Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

	HopByHopHeaders(Set<String> names) {
		this.names.addAll(names);
	}

	/** A copy of the headers without the hop-by-hop ones, in one pass. */
	HttpHeaders without(HttpHeaders headers) {
		List<String> connectionOptions = headers.getConnection();
		HttpHeaders kept = new HttpHeaders();
		for (Map.Entry<String, List<String>> header : headers.headerSet()) {
			if (!isHopByHop(header.getKey(), connectionOptions)) {
				kept.addAll(header.getKey(), header.getValue());
			}
		}
		return kept;
	}

	/** @param connectionOptions the message's {@link HttpHeaders#getConnection()} */
	boolean isHopByHop(String name, List<String> connectionOptions) {
		if (this.names.contains(name)) {
			return true;
		}
		for (String option : connectionOptions) {
			if (option.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

}
