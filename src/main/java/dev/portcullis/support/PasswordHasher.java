package dev.portcullis.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The slow hash for client secrets and user passwords, which administrators choose and may reuse. It writes one
 * {@link Algorithm}, bcrypt unless told otherwise, and checks every scheme it knows. BCrypt only reads
 * 72 bytes (and Spring Security refuses longer input), while SuiteCRM's own generated secrets are 100 characters,
 * so the secret is first reduced to the Base64 of its SHA-256 (44 bytes, no NUL): every character counts. Argon2id
 * has no such limit and hashes the password itself, at Keycloak's parameters (OWASP's second configuration), under
 * Spring Security's own id: {@code {argon2}$argon2id$v=19$m=7168,t=5,p=1$…}. The prefix names the scheme, as Spring
 * Security's {@code DelegatingPasswordEncoder} ids do, so that another can be added without rehashing what is stored.
 *
 * <p>A hash of another scheme than the one it writes, or of weaker parameters, {@link #needsUpgrade needs an upgrade}:
 * the user authenticator replaces it with this hasher's own at the next successful sign-in.
 *
 * <p>Besides its own scheme it checks SuiteCRM's hashes as the SuiteCRM import stores them ({@link #isLegacy}): each
 * is verified as SuiteCRM verifies it, and replaced by this hasher's own hash at the first successful check (see the
 * authenticators). It writes only one of them: a bare MD5 put under bcrypt at import ({@link #hashSuiteCrmMd5}). ({@code DelegatingPasswordEncoder} itself is not used: it answers
 * an empty password or a missing hash at once, without the comparison's cost, which would tell known accounts from
 * unknown ones.)
 *
 * <p>Both methods are CPU-heavy by design: call them off the event loop.
 */
public final class PasswordHasher {

	/** The scheme of the bcrypt hashes this hasher writes, as {@link HashingPool} times them: all client secrets. */
	public static final String SCHEME = "bcrypt-sha256";

	/** The scheme of the Argon2id hashes: Spring Security's {@code DelegatingPasswordEncoder} id for them. */
	public static final String ARGON2 = "argon2";

	/** Keycloak's {@code argon2} provider's defaults: 7 MiB (memory per hash in KiB), 5 passes, 1 lane. */
	static final int ARGON2_MEMORY_KIB = 7168;

	private static final int ARGON2_ITERATIONS = 5;

	private static final int ARGON2_PARALLELISM = 1;

	private static final int ARGON2_SALT_BYTES = 16;

	private static final int ARGON2_HASH_BYTES = 32;

	/**
	 * The parameters of a stored Argon2 hash, which Spring's Argon2 computes at whatever they say: {@code m} (KiB),
	 * {@code t} and {@code p}, each read as a number of any length.
	 */
	private static final Pattern ARGON2_PARAMETERS = Pattern
		.compile("\\$argon2(?:id|i|d)\\$(?:v=\\d+\\$)?m=(\\d+),t=(\\d+),p=(\\d+)\\$.*");

	/**
	 * The most a stored Argon2 hash may ask for to be checked: 64 MiB, 10 passes, 4 lanes, well above what this hasher
	 * writes and OWASP's configurations; past them one check could hold a thread for hours or the heap.
	 */
	private static final long MAX_ARGON2_MEMORY_KIB = 65_536;

	private static final long MAX_ARGON2_ITERATIONS = 10;

	private static final long MAX_ARGON2_PARALLELISM = 4;

	/**
	 * SuiteCRM's client secret hash, {@code hash('sha256', $secret)} in lower-case hex ({@code OAuth2Clients::save}),
	 * checked as {@code ClientRepository::validateClient} does: {@code hash('sha256', $clientSecret) === $client->secret}.
	 */
	public static final String SUITECRM_SHA256 = "suitecrm-sha256";

	/**
	 * SuiteCRM's password hash, {@code password_hash(strtolower(md5($password)), PASSWORD_DEFAULT)}: bcrypt
	 * ({@code $2y$}) over the lower-case hex MD5 ({@code User::getPasswordHashMD5}). SuiteCRM's legacy bare
	 * {@code md5($password)}, from SugarCRM's days, is kept in this form too ({@link #hashSuiteCrmMd5}).
	 */
	public static final String SUITECRM_MD5_BCRYPT = "suitecrm-md5-bcrypt";

	private static final List<String> SCHEMES = List.of(SCHEME, ARGON2, SUITECRM_SHA256, SUITECRM_MD5_BCRYPT);

	static final String PREFIX = "{" + SCHEME + "}";

	/** bcrypt as PHP's {@code password_hash} writes it ({@code $2y$}) and as Spring's BCrypt reads it, with its cost. */
	private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./0-9A-Za-z]{53}");

	/** bcrypt's least cost, as PHP's and Spring's take it. */
	private static final int MIN_BCRYPT_COST = 4;

	/** PHP 8.4's {@code PASSWORD_DEFAULT} cost; earlier PHP's, which SuiteCRM runs on, is 10. */
	private static final int PHP_BCRYPT_COST = 12;

	/** What {@link #hash} writes ({@code portcullis.secrets.user-password-hash} for user passwords). */
	public enum Algorithm {

		/** {@code bcrypt-sha256}: bcrypt over Base64(SHA-256(secret)), at the hasher's strength. */
		BCRYPT(SCHEME),

		/** {@code argon2}: Argon2id over the secret, m = 7168 KiB, t = 5, p = 1, 16-byte salt, 32-byte hash. */
		ARGON2ID(ARGON2);

		private final String scheme;

		Algorithm(String scheme) {
			this.scheme = scheme;
		}

	}

	private final BCryptPasswordEncoder bcrypt;

	private final Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(ARGON2_SALT_BYTES, ARGON2_HASH_BYTES,
			ARGON2_PARALLELISM, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS);

	/** The scheme of the hashes {@link #hash} writes. */
	private final String scheme;

	/** The highest cost of an imported bcrypt hash this hasher checks: a higher one could tie up a thread for days. */
	private final int maxBcryptCost;

	/**
	 * A hash of the scheme {@link #hash} writes, to compare against when there is nothing to compare, so that a miss
	 * costs as much as a hit.
	 */
	private final String decoy;

	/** The work a check of {@link #decoy} costs ({@link #work}): that of every hash this hasher writes. */
	private final String ownWork;

	/** A hasher that writes bcrypt at {@code strength}. */
	public PasswordHasher(int strength) {
		this(strength, Algorithm.BCRYPT);
	}

	/** A hasher that writes {@code algorithm}; {@code bcryptStrength} is bcrypt's cost, whichever it writes. */
	public PasswordHasher(int bcryptStrength, Algorithm algorithm) {
		this.bcrypt = new BCryptPasswordEncoder(bcryptStrength);
		this.maxBcryptCost = Math.max(bcryptStrength, PHP_BCRYPT_COST);
		this.scheme = algorithm.scheme;
		this.decoy = hash("decoy secret that matches nothing");
		this.ownWork = Objects.requireNonNull(work(this.decoy));
	}

	/** The scheme of the hashes {@link #hash} writes: {@link #SCHEME} or {@link #ARGON2}. */
	public String scheme() {
		return this.scheme;
	}

	public String hash(String secret) {
		return this.scheme.equals(ARGON2) ? marked(ARGON2, this.argon2.encode(secret))
				: PREFIX + this.bcrypt.encode(reduce(secret));
	}

	/**
	 * Whether {@code secret} matches {@code hash}; a missing or unknown hash pays the full cost and fails. A legacy
	 * hash is compared as SuiteCRM compares it, case and all (PHP's {@code ===}), in constant time; an empty one
	 * matches nothing, as in SuiteCRM ({@code User::checkPasswordMD5}: "if (empty($userHash)) return false"). An
	 * imported bcrypt hash whose cost this hasher does not check ({@link #acceptsBcryptCost}) pays the cost of its own
	 * scheme and fails, as a missing hash does.
	 */
	public boolean matches(String secret, @Nullable String hash) {
		String scheme = scheme(hash);
		if (scheme == null) {
			return matchesNothing(secret);
		}
		String stored = hash.substring(scheme.length() + 2);
		return switch (scheme) {
			case SCHEME -> this.bcrypt.matches(reduce(secret), stored);
			case ARGON2 -> argon2Matches(secret, stored);
			case SUITECRM_SHA256 -> !stored.isEmpty() && equal(TokenHashing.sha256Hex(secret), stored);
			// SUITECRM_MD5_BCRYPT, User::checkPasswordMD5: password_verify(strtolower(md5($password)), $userHash)
			default -> acceptsBcryptCost(bcryptCost(stored)) ? this.bcrypt.matches(md5Hex(secret), stored)
					: matchesNothing(secret);
		};
	}

	/**
	 * SuiteCRM's bare {@code md5($password)} (lower-case hex) as the import stores it: bcrypt over it at this hasher's
	 * strength, marked {@link #SUITECRM_MD5_BCRYPT}. SuiteCRM's {@code User::checkPasswordMD5} would answer the same for
	 * it (its {@code password_verify} branch), and the unsalted MD5 itself is never kept.
	 */
	public String hashSuiteCrmMd5(String md5Hex) {
		return marked(SUITECRM_MD5_BCRYPT, this.bcrypt.encode(md5Hex));
	}

	/** Whether {@code hash} is a {@link #SUITECRM_MD5_BCRYPT} hash of {@code md5Hex}: what an import keeps as it is. */
	public boolean matchesSuiteCrmMd5(String md5Hex, @Nullable String hash) {
		if (!SUITECRM_MD5_BCRYPT.equals(scheme(hash))) {
			return false;
		}
		String stored = hash.substring(SUITECRM_MD5_BCRYPT.length() + 2);
		return acceptsBcryptCost(bcryptCost(stored)) && this.bcrypt.matches(md5Hex, stored);
	}

	/** The cost of a bcrypt hash ({@code $2y$10$…} is 10), or -1 when {@code hash} is not one. */
	public static int bcryptCost(String hash) {
		Matcher bcrypt = BCRYPT.matcher(hash);
		return bcrypt.matches() ? Integer.parseInt(bcrypt.group(1)) : -1;
	}

	/**
	 * Whether an imported bcrypt hash of {@code cost} is checked: from bcrypt's least, 4, to this hasher's own
	 * strength or PHP's default, 12, whichever is higher. Each step doubles the time of a check; cost 31 would take
	 * days of a hashing thread per attempt, and Spring's BCrypt refuses anything past it with an exception.
	 */
	public boolean acceptsBcryptCost(int cost) {
		return cost >= MIN_BCRYPT_COST && cost <= this.maxBcryptCost;
	}

	/** The highest cost {@link #acceptsBcryptCost} accepts. */
	public int maxBcryptCost() {
		return this.maxBcryptCost;
	}

	/** {@code hash} marked as a hash of {@code scheme}: how the import stores what it found. */
	public static String marked(String scheme, String hash) {
		return "{" + scheme + "}" + hash;
	}

	/** The scheme {@code hash} is marked with, or {@code null} for none this hasher knows. */
	public static @Nullable String scheme(@Nullable String hash) {
		if (hash != null && hash.startsWith("{")) {
			for (String scheme : SCHEMES) {
				if (hash.startsWith(scheme + "}", 1)) {
					return scheme;
				}
			}
		}
		return null;
	}

	/**
	 * Whether {@code hash} is one of SuiteCRM's, which a successful check replaces with this hasher's own (as
	 * {@code DelegatingPasswordEncoder#upgradeEncoding} says for its ids).
	 */
	public static boolean isLegacy(@Nullable String hash) {
		String scheme = scheme(hash);
		return SUITECRM_SHA256.equals(scheme) || SUITECRM_MD5_BCRYPT.equals(scheme);
	}

	/**
	 * Whether a hash that {@link #matches} should be replaced by this hasher's own: it is SuiteCRM's, of the other of
	 * bcrypt and Argon2id, or of weaker parameters (a lower bcrypt cost, less Argon2 memory or fewer passes), as
	 * {@code DelegatingPasswordEncoder#upgradeEncoding} says.
	 */
	public boolean needsUpgrade(String hash) {
		String scheme = scheme(hash);
		if (!this.scheme.equals(scheme)) {
			return true;
		}
		String stored = hash.substring(scheme.length() + 2);
		return scheme.equals(ARGON2) ? this.argon2.upgradeEncoding(stored) : this.bcrypt.upgradeEncoding(stored);
	}

	/**
	 * What a check of {@code hash} costs, as {@link HashingPool} times it: this hasher's {@link #scheme} for a hash as
	 * it writes them (its scheme and parameters) or one it does not compute (missing, unknown, past the limits:
	 * {@link #matchesNothing}), else the work itself, {@code bcrypt-12} (bcrypt's cost decides, whatever it hashes),
	 * {@code argon2-m=…,t=…,p=…} or {@link #SUITECRM_SHA256}.
	 */
	public String kind(@Nullable String hash) {
		String work = work(hash);
		boolean own = this.scheme.equals(scheme(hash)) && this.ownWork.equals(work);
		return (work == null || own) ? this.scheme : work;
	}

	/** The work {@link #matches} computes for {@code hash}, or {@code null} for {@link #matchesNothing}. */
	private @Nullable String work(@Nullable String hash) {
		String scheme = scheme(hash);
		if (scheme == null) {
			return null;
		}
		String stored = hash.substring(scheme.length() + 2);
		if (scheme.equals(SUITECRM_SHA256)) {
			return scheme;
		}
		if (scheme.equals(ARGON2)) {
			Matcher parameters = ARGON2_PARAMETERS.matcher(stored);
			return acceptsArgon2Parameters(stored) && parameters.matches() ? "argon2-m=" + parameters.group(1) + ",t="
					+ parameters.group(2) + ",p=" + parameters.group(3) : null;
		}
		int cost = bcryptCost(stored);
		if (scheme.equals(SUITECRM_MD5_BCRYPT)) {
			return acceptsBcryptCost(cost) ? "bcrypt-" + cost : null;
		}
		// this hasher's own bcrypt is checked at whatever cost the hash names; one it cannot read fails at once
		return (cost >= 0) ? "bcrypt-" + cost : "bcrypt-unreadable";
	}

	/**
	 * Spends the time of one comparison of the scheme this hasher writes and fails: for unknown clients and users, so
	 * timing reveals nothing.
	 */
	public boolean matchesNothing(String secret) {
		matches(secret, this.decoy);
		return false;
	}

	/** How long one comparison takes here: measured once, to seed {@link HashingPool#imitate} before real checks ran. */
	public Duration measure() {
		return measure(this.decoy);
	}

	/** How long one check of {@code hash} takes here: to learn a stored hash's {@link #kind} at start. */
	public Duration measure(@Nullable String hash) {
		long started = System.nanoTime();
		matches("a secret to time", hash);
		return Duration.ofNanos(System.nanoTime() - started);
	}

	/**
	 * Spring's Argon2 answers an empty password at once, without the cost, which would tell a known user from an
	 * unknown one: an empty password pays for a stand-in and fails.
	 */
	private boolean argon2Matches(String secret, String stored) {
		if (!acceptsArgon2Parameters(stored)) {
			return matchesNothing(secret);
		}
		boolean matched = this.argon2.matches(secret.isEmpty() ? "\u0000" : secret, stored);
		return matched && !secret.isEmpty();
	}

	/** Whether a stored Argon2 hash's parameters are within the limits a check is computed at. */
	private static boolean acceptsArgon2Parameters(String stored) {
		Matcher parameters = ARGON2_PARAMETERS.matcher(stored);
		return parameters.matches() && within(parameters.group(1), MAX_ARGON2_MEMORY_KIB)
				&& within(parameters.group(2), MAX_ARGON2_ITERATIONS) && within(parameters.group(3), MAX_ARGON2_PARALLELISM);
	}

	private static boolean within(String digits, long max) {
		return digits.length() <= 18 && Long.parseLong(digits) <= max;
	}

	private static boolean equal(String computed, String stored) {
		return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8));
	}

	/** PHP's {@code md5($value)}: lower-case hex. */
	private static String md5Hex(String value) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String reduce(String secret) {
		return Base64.getEncoder().encodeToString(TokenHashing.sha256(secret.getBytes(StandardCharsets.UTF_8)));
	}

}
