package dev.portcullis.proxy.upstream;

import java.time.Duration;
import java.time.Instant;

import dev.portcullis.support.TokenHashing;

/**
 * An access token the backend issued to the gateway.
 *
 * @param value the token itself, never logged
 * @param obtainedAt when the backend issued it
 * @param expiresAt when it stops working, from the backend's {@code expires_in}
 */
public record BackendToken(String value, Instant obtainedAt, Instant expiresAt) {

	/** The share of its lifetime after which a token is renewed, so that callers never wait for one that expired. */
	static final double RENEW_AT = 0.8;

	/** When the token should be replaced: at {@value #RENEW_AT} of its lifetime. */
	public Instant renewAt() {
		long lifetimeMillis = Duration.between(this.obtainedAt, this.expiresAt).toMillis();
		return this.obtainedAt.plusMillis((long) (lifetimeMillis * RENEW_AT));
	}

	/** Names the token without telling it, to drop exactly this one and not a newer one. */
	public String fingerprint() {
		return TokenHashing.sha256Hex(this.value).substring(0, 16);
	}

	@Override
	public String toString() {
		return "BackendToken[" + fingerprint() + ", expiresAt=" + this.expiresAt + "]";
	}

}
