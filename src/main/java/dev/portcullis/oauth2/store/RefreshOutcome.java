package dev.portcullis.oauth2.store;

/**
 * What {@link AuthorizationStore#rotate} found when a refresh token was presented.
 */
public enum RefreshOutcome {

	/** The token was current: the authorization now holds the new tokens and the old access token is revoked. */
	ROTATED,

	/**
	 * The token had been rotated out longer ago than the grace period: reuse. The whole authorization was removed
	 * and its current access token revoked (RFC 9700 §4.14.2).
	 */
	REUSED,

	/** The token had been rotated out within the grace period (a concurrent refresh): refused, nothing revoked. */
	STALE,

	/** No such authorization, or the token was never issued in it: refused, nothing changed. */
	UNKNOWN

}
