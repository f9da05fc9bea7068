package dev.portcullis.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The slow hash for client secrets and user passwords, which administrators choose and may reuse. BCrypt only reads
 * 72 bytes (and Spring Security refuses longer input), while SuiteCRM's own generated secrets are 100 characters,
 * so the secret is first reduced to the Base64 of its SHA-256 (44 bytes, no NUL): every character counts. The
 * prefix names the scheme so that another can be added without rehashing what is stored.
 *
 * <p>Both methods are CPU-heavy by design: call them off the event loop.
 */
public final class PasswordHasher {

	/** The scheme of the hashes this hasher writes, as {@link HashingPool} times them. */
	public static final String SCHEME = "bcrypt-sha256";

	static final String PREFIX = "{" + SCHEME + "}";

	private final BCryptPasswordEncoder bcrypt;

	/** A hash to compare against when there is nothing to compare, so that a miss costs as much as a hit. */
	private final String decoy;

	public PasswordHasher(int strength) {
		this.bcrypt = new BCryptPasswordEncoder(strength);
		this.decoy = hash("decoy secret that matches nothing");
	}

	public String hash(String secret) {
		return PREFIX + this.bcrypt.encode(reduce(secret));
	}

	/** Whether {@code secret} matches {@code hash}; a missing or unknown hash pays the full cost and fails. */
	public boolean matches(String secret, @Nullable String hash) {
		if (hash == null || !hash.startsWith(PREFIX)) {
			this.bcrypt.matches(reduce(secret), this.decoy.substring(PREFIX.length()));
			return false;
		}
		return this.bcrypt.matches(reduce(secret), hash.substring(PREFIX.length()));
	}

	/** Spends the time of one comparison and fails: for unknown clients and users, so timing reveals nothing. */
	public boolean matchesNothing(String secret) {
		this.bcrypt.matches(reduce(secret), this.decoy.substring(PREFIX.length()));
		return false;
	}

	/** How long one comparison takes here: measured once, to seed {@link HashingPool#imitate} before real checks ran. */
	public Duration measure() {
		long started = System.nanoTime();
		matchesNothing("a secret to time");
		return Duration.ofNanos(System.nanoTime() - started);
	}

	private static String reduce(String secret) {
		return Base64.getEncoder().encodeToString(TokenHashing.sha256(secret.getBytes(StandardCharsets.UTF_8)));
	}

}
