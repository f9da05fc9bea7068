package dev.portcullis.oauth2.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.portcullis.support.SecureIds;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;

/**
 * Remembers, for a short time, that a client secret was verified against its slow hash, so that a busy
 * client_credentials client does not pay a full BCrypt check on every token. What is remembered is a SHA-256 of
 * the secret with a random per-process salt, tied to the stored hash: rotating the secret forgets it. Only a
 * correct secret is ever remembered; a wrong one always pays the full cost.
 */
public final class VerifiedSecretCache {

	/** Bounds memory when many clients authenticate; past it, the cache starts over. */
	private static final int MAX_ENTRIES = 10_000;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final byte[] salt = SecureIds.randomHex(16).getBytes(StandardCharsets.US_ASCII);

	private final Duration ttl;

	private final Clock clock;

	public VerifiedSecretCache(Duration ttl, Clock clock) {
		this.ttl = ttl;
		this.clock = clock;
	}

	/** Whether this exact secret was verified for this client and stored hash within the TTL. */
	public boolean isVerified(RegisteredClient client, String secret) {
		Entry entry = this.entries.get(client.id());
		return entry != null && entry.secretHash.equals(client.secretHash())
				&& entry.expiresAt.isAfter(this.clock.instant())
				&& MessageDigest.isEqual(entry.digest, digest(secret));
	}

	/** Remembers a secret that was just verified with the slow hash. */
	public void rememberVerified(RegisteredClient client, String secret) {
		if (this.ttl.isZero() || client.secretHash() == null) {
			return;
		}
		if (this.entries.size() >= MAX_ENTRIES) {
			this.entries.clear();
		}
		this.entries.put(client.id(),
				new Entry(client.secretHash(), digest(secret), this.clock.instant().plus(this.ttl)));
	}

	private byte[] digest(String secret) {
		byte[] value = secret.getBytes(StandardCharsets.UTF_8);
		byte[] salted = new byte[this.salt.length + value.length];
		System.arraycopy(this.salt, 0, salted, 0, this.salt.length);
		System.arraycopy(value, 0, salted, this.salt.length, value.length);
		return TokenHashing.sha256(salted);
	}

	private record Entry(@Nullable String secretHash, byte[] digest, Instant expiresAt) {
	}

}
