package dev.portcullis.admin;

import java.util.function.Predicate;

import dev.portcullis.support.HashingPool;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.SecureIds;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The secrets and passwords administration generates, and their slow hashes, computed on the hashing pool rather
 * than the event loop: client secrets under bcrypt, user passwords under the configured scheme
 * ({@code portcullis.secrets.user-password-hash}). Only a hash is ever stored; a generated value is shown once, by the
 * adapter that asked.
 */
public final class Secrets {

	private final PasswordHasher secretHasher;

	private final PasswordHasher passwordHasher;

	private final HashingPool hashing;

	/**
	 * @param secretHasher hashes client secrets
	 * @param passwordHasher hashes user passwords
	 */
	public Secrets(PasswordHasher secretHasher, PasswordHasher passwordHasher, HashingPool hashing) {
		this.secretHasher = secretHasher;
		this.passwordHasher = passwordHasher;
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

	/** The slow hash of a client's {@code secret}; {@code ""} for no secret. */
	public Mono<String> hash(@Nullable String secret) {
		return (secret == null) ? Mono.just("") : hash(this.secretHasher, secret);
	}

	/** The slow hash of a user's {@code password}. */
	public Mono<String> hashPassword(String password) {
		return hash(this.passwordHasher, password);
	}

	/**
	 * The stored hash when it is still the client {@code secret}'s, else a new one: configuration applied at every
	 * start does not rehash what has not changed. An imported SuiteCRM hash that matches is replaced all the same.
	 */
	public Mono<String> rehashIfChanged(String secret, @Nullable String storedHash) {
		return rehashIfChanged(this.secretHasher, secret, storedHash, PasswordHasher::isLegacy);
	}

	/**
	 * As {@link #rehashIfChanged} for a user's {@code password}; a hash that matches but is not of the configured
	 * scheme, or of weaker parameters, is replaced too ({@link PasswordHasher#needsUpgrade}).
	 */
	public Mono<String> rehashPasswordIfChanged(String password, @Nullable String storedHash) {
		return rehashIfChanged(this.passwordHasher, password, storedHash, this.passwordHasher::needsUpgrade);
	}

	private Mono<String> hash(PasswordHasher hasher, String secret) {
		return this.hashing.run(hasher.scheme(), () -> hasher.hash(secret));
	}

	/** {@code replaced} tells whether a stored hash that matched is replaced all the same. */
	private Mono<String> rehashIfChanged(PasswordHasher hasher, String secret, @Nullable String storedHash,
			Predicate<String> replaced) {
		if (storedHash == null) {
			return hash(hasher, secret);
		}
		// @formatter:off
		return this.hashing.run(hasher.kind(storedHash), () -> hasher.matches(secret, storedHash))
				.flatMap((matches) -> (matches && !replaced.test(storedHash)) ? Mono.just(storedHash) : hash(hasher, secret));
		// @formatter:on
	}

}
