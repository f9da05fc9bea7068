package dev.portcullis.oauth2.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A client's settings for the tokens it is issued, kept together as Spring Authorization Server keeps its
 * {@code TokenSettings}, so that a new setting is one more component here rather than one more argument for every
 * caller that puts a client together.
 *
 * @param accessTokenTtl the client's access token lifetime, or {@code null} for the gateway default
 * @param refreshTokenTtl the client's refresh token lifetime, or {@code null} for the gateway default
 * @param refreshTokens whether the password and authorization code grants give this client refresh tokens: on, as in
 * SuiteCRM, unless an administrator turns them off
 */
public record ClientTokenSettings(@Nullable Duration accessTokenTtl, @Nullable Duration refreshTokenTtl,
		boolean refreshTokens) {

	private static final ClientTokenSettings DEFAULTS = new ClientTokenSettings(null, null, true);

	/** The gateway's lifetimes, and refresh tokens on: what a client gets unless an administrator says otherwise. */
	public static ClientTokenSettings defaults() {
		return DEFAULTS;
	}

	public ClientTokenSettings withAccessTokenTtl(@Nullable Duration ttl) {
		return new ClientTokenSettings(ttl, this.refreshTokenTtl, this.refreshTokens);
	}

	public ClientTokenSettings withRefreshTokenTtl(@Nullable Duration ttl) {
		return new ClientTokenSettings(this.accessTokenTtl, ttl, this.refreshTokens);
	}

	public ClientTokenSettings withRefreshTokens(boolean on) {
		return new ClientTokenSettings(this.accessTokenTtl, this.refreshTokenTtl, on);
	}

}
