package dev.portcullis.admin;

import dev.portcullis.support.HashingPool;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.SecureIds;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The secrets and passwords administration generates, and their slow hashes, computed on the hashing pool rather
 * than the event loop. Only a hash is ever stored; a generated value is shown once, by the adapter that asked.
 */
public final class Secrets {

	private final PasswordHasher hasher;

	private final HashingPool hashing;

	public Secrets(PasswordHasher hasher, HashingPool hashing) {
		this.hasher = hasher;
		this.hashing = hashing;
	}

	/** A client secret: 256 bits, as hex, so guessing is hopeless and it pastes into any client. */
	public static String newSecret() {
		return SecureIds.randomHex(32);
	}

	/** A user's password: 96 bits, as hex, for the user to replace. */
	public static String newPassword() {
		return SecureIds.randomHex(12);
	}

	/** The slow hash of {@code secret}; {@code ""} for no secret. */
	public Mono<String> hash(@Nullable String secret) {
		return (secret == null) ? Mono.just("") : this.hashing.run(PasswordHasher.SCHEME, () -> this.hasher.hash(secret));
	}

	/**
	 * The stored hash when it is still {@code secret}'s, else a new one: configuration applied at every start does not
	 * rehash what has not changed. An imported SuiteCRM hash that matches is replaced all the same.
	 */
	public Mono<String> rehashIfChanged(String secret, @Nullable String storedHash) {
		if (storedHash == null) {
			return hash(secret);
		}
		// @formatter:off
		return this.hashing.run(PasswordHasher.SCHEME, () -> this.hasher.matches(secret, storedHash))
				.flatMap((matches) -> (matches && !PasswordHasher.isLegacy(storedHash)) ? Mono.just(storedHash) : hash(secret));
		// @formatter:on
	}

}
