package dev.portcullis.oauth2.client;

import java.time.Duration;

import dev.portcullis.oauth2.token.SigningAlgorithm;
import org.jspecify.annotations.Nullable;

/**
 * A client's settings about tokens (those it is issued, and whether it may ask about others), kept together as Spring Authorization Server keeps its
 * {@code TokenSettings}, so that a new setting is one more component here rather than one more argument for every
 * caller that puts a client together.
 *
 * @param accessTokenTtl the client's access token lifetime, or {@code null} for the gateway default
 * @param refreshTokenTtl the client's refresh token lifetime, or {@code null} for the gateway default
 * @param refreshTokens whether the password and authorization code grants give this client refresh tokens: on, as in
 * SuiteCRM, unless an administrator turns them off
 * @param introspection whether the client may ask the introspection endpoint about tokens, as a resource server does:
 * off unless an administrator turns it on, and only for a confidential client
 * @param backendCredential which backend token the gateway sends for this client's access tokens on a route with
 * {@code UpstreamClientCredentials} (one of {@code portcullis.upstream.credentials}), or {@code null} for the route's
 * default
 * @param signingAlgorithm the algorithm of the client's access tokens: RS256 unless an administrator chooses EdDSA
 * (SuiteCRM's own clients verify RS256 only)
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7662#section-2.1">RFC 7662 §2.1</a>
 */
public record ClientTokenSettings(@Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl,
		boolean refreshTokens, boolean introspection, @Nullable String backendCredential,
		SigningAlgorithm signingAlgorithm) {

	private static final ClientTokenSettings DEFAULTS = new ClientTokenSettings(null, null, true, false, null,
			SigningAlgorithm.RS256);

	/**
	 * The gateway's lifetimes, refresh tokens on, introspection off, the route's backend credential and RS256: what a
	 * client gets unless an administrator says otherwise.
	 */
	public static ClientTokenSettings defaults() {
		return DEFAULTS;
	}

	public ClientTokenSettings withAccessTokenTtl(@Nullable Duration ttl) {
		return new ClientTokenSettings(ttl, this.refreshTokenTtl, this.refreshTokens, this.introspection,
				this.backendCredential, this.signingAlgorithm);
	}

	public ClientTokenSettings withRefreshTokenTtl(@Nullable Duration ttl) {
		return new ClientTokenSettings(this.accessTokenTtl, ttl, this.refreshTokens, this.introspection,
				this.backendCredential, this.signingAlgorithm);
	}

	public ClientTokenSettings withRefreshTokens(boolean on) {
		return new ClientTokenSettings(this.accessTokenTtl, this.refreshTokenTtl, on, this.introspection,
				this.backendCredential, this.signingAlgorithm);
	}

	public ClientTokenSettings withIntrospection(boolean allowed) {
		return new ClientTokenSettings(this.accessTokenTtl, this.refreshTokenTtl, this.refreshTokens, allowed,
				this.backendCredential, this.signingAlgorithm);
	}

	public ClientTokenSettings withBackendCredential(@Nullable String name) {
		return new ClientTokenSettings(this.accessTokenTtl, this.refreshTokenTtl, this.refreshTokens, this.introspection,
				name, this.signingAlgorithm);
	}

	public ClientTokenSettings withSigningAlgorithm(SigningAlgorithm algorithm) {
		return new ClientTokenSettings(this.accessTokenTtl, this.refreshTokenTtl, this.refreshTokens, this.introspection,
				this.backendCredential, algorithm);
	}

}
