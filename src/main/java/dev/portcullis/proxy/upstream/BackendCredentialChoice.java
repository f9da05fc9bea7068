package dev.portcullis.proxy.upstream;

import java.net.URI;
import java.util.Objects;

import dev.portcullis.oauth2.OAuth2Exception;
import org.jspecify.annotations.Nullable;

/**
 * Which backend credential a caller's request is sent with on a route with {@code UpstreamClientCredentials}: the one
 * the caller's client names, if it is for the route's backend, else the route's.
 * <ul>
 * <li>The client names none: the route's credential.</li>
 * <li>The client names one with the route credential's token endpoint (the same backend): that one.</li>
 * <li>The client names one for another backend: the route's, as a token one backend issued is never sent to
 * another.</li>
 * <li>The client names one no longer configured: refused ({@link OAuth2Exception#upstreamCredentialRemoved()}), as
 * the route's could give the caller more rights at the backend than its administrator meant.</li>
 * </ul>
 */
final class BackendCredentialChoice {

	private final UpstreamCredentials credentials;

	BackendCredentialChoice(UpstreamCredentials credentials) {
		this.credentials = credentials;
	}

	/**
	 * @param routeCredential the route's credential, a configured one
	 * @param clientCredential the credential the caller's client names, or {@code null} for the route's
	 * @return the name of the credential to send the request with
	 * @throws OAuth2Exception when the client names a credential that is not configured
	 */
	String choose(String routeCredential, @Nullable String clientCredential) {
		if (clientCredential == null || clientCredential.equals(routeCredential)) {
			return routeCredential;
		}
		URI named = this.credentials.tokenUri(clientCredential);
		if (named == null) {
			throw OAuth2Exception.upstreamCredentialRemoved();
		}
		return sameEndpoint(named, this.credentials.tokenUri(routeCredential)) ? clientCredential : routeCredential;
	}

	/**
	 * Whether two token endpoints are one, however written: scheme and host in any case, the default port or none,
	 * {@code .} and {@code ..} in the path. Otherwise a client's narrower credential would give way to the route's.
	 */
	static boolean sameEndpoint(URI one, @Nullable URI other) {
		if (other == null) {
			return false;
		}
		URI a = one.normalize();
		URI b = other.normalize();
		return equalIgnoringCase(a.getScheme(), b.getScheme()) && sameAuthority(a, b)
				&& Objects.equals(a.getRawPath(), b.getRawPath()) && Objects.equals(a.getRawQuery(), b.getRawQuery());
	}

	private static boolean sameAuthority(URI a, URI b) {
		if (a.getHost() == null || b.getHost() == null) {
			// no host and no port parsed from a host name with "_" (crm_a:8080, as Docker Compose names services): the
			// authority as written decides, or two different backends would be one
			return a.getHost() == null && b.getHost() == null
					&& equalIgnoringCase(a.getRawAuthority(), b.getRawAuthority());
		}
		return a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
	}

	private static boolean equalIgnoringCase(@Nullable String one, @Nullable String other) {
		return (one == null) ? other == null : one.equalsIgnoreCase(other);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : -1;
	}

}
