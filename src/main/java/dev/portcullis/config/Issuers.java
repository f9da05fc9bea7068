package dev.portcullis.config;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.portcullis.support.LoopbackHosts;
import org.jspecify.annotations.Nullable;

/**
 * Who Portcullis says it is: the "iss" of new tokens and the issuers the proxy accepts, from
 * {@code portcullis.issuer} and {@code portcullis.issuer-uri}.
 *
 * @param uri the issuer URL of the metadata (RFC 8414 §2), without a trailing slash, or {@code null} when not set
 * @param ofNewTokens the "iss" of new tokens: the URL when set (RFC 9068 §2.2), else the plain name
 * @param accepted what the proxy accepts: the URL, the plain name (so tokens issued before the URL was set keep
 * working until they expire) and {@code portcullis.accepted-issuers} (so a replica can accept a URL before it issues
 * it, during a rolling change)
 */
record Issuers(@Nullable URI uri, String ofNewTokens, Set<String> accepted) {

	static Issuers of(PortcullisProperties properties) {
		URI uri = (properties.getIssuerUri() != null) ? checked(properties.getIssuerUri()) : null;
		String ofNewTokens = (uri != null) ? uri.toString() : properties.getIssuer();
		Set<String> accepted = new LinkedHashSet<>();
		accepted.add(ofNewTokens);
		accepted.add(properties.getIssuer());
		accepted.addAll(properties.getAcceptedIssuers());
		return new Issuers(uri, ofNewTokens, Set.copyOf(accepted));
	}

	/**
	 * RFC 8414 §2: "a case-sensitive URL that uses the "https" scheme and has no query or fragment components"; plain
	 * http only on a loopback host, for trying it out. A path is refused too: the metadata is served at the root.
	 */
	private static URI checked(URI uri) {
		String problem = null;
		if (!uri.isAbsolute() || uri.getHost() == null) {
			problem = "must be an absolute URL with a host";
		}
		else if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && LoopbackHosts.isLoopback(uri.getHost()))) {
			problem = "must use https (plain http only on a loopback host)";
		}
		else if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			problem = "must have no query, fragment or user info";
		}
		else if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())) {
			problem = "must have no path: the metadata is served at /.well-known/oauth-authorization-server";
		}
		if (problem != null) {
			throw new IllegalStateException(PortcullisProperties.PREFIX + ".issuer-uri " + problem + ": " + uri);
		}
		return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
	}

}
