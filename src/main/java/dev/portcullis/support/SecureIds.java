package dev.portcullis.support;

import java.nio.ByteBuffer;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Unguessable identifiers, from NIST SP 800-90A's Hash_DRBG (SHA-256) at 256 bits of security strength, as much
 * as the longest identifier drawn here (a generated client secret). Not the platform's default
 * {@code new SecureRandom()}: on Linux that is NativePRNG, which reads {@code /dev/urandom} again whenever its
 * buffer is 100 ms old, a file read on whichever thread asks, event loops and the signing scheduler included.
 * The JDK seeds every DRBG from one internal DRBG that reads the system's entropy source once per JVM, so after
 * the first identifier no call here touches a file. One instance per thread avoids contention on the DRBG's lock.
 *
 * @see <a href="https://csrc.nist.gov/pubs/sp/800/90/a/r1/final">NIST SP 800-90A Rev. 1</a>
 */
public final class SecureIds {

	/** Security strength of the generator, in bits. */
	static final int STRENGTH = 256;

	private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureIds::newRandom);

	private SecureIds() {
	}

	/** A new generator of the kind used here, for libraries that take a {@link SecureRandom}. */
	public static SecureRandom newRandom() {
		try {
			return SecureRandom.getInstance("DRBG",
					DrbgParameters.instantiation(STRENGTH, DrbgParameters.Capability.NONE, null));
		}
		catch (NoSuchAlgorithmException ex) {
			// every JDK since 9 has it (JEP 273)
			throw new IllegalStateException("The JDK offers no DRBG SecureRandom", ex);
		}
	}

	/** {@code bytes} random bytes as lower-case hex ({@code 2 * bytes} characters). */
	public static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.get().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	/** A random (version 4) UUID, as {@link UUID#randomUUID()} makes, but from this class's generator. */
	public static UUID randomUuid() {
		byte[] random = new byte[16];
		RANDOM.get().nextBytes(random);
		// RFC 9562 §5.4: version 4 in the high nibble of octet 6, variant 10 in the high bits of octet 8
		random[6] = (byte) ((random[6] & 0x0f) | 0x40);
		random[8] = (byte) ((random[8] & 0x3f) | 0x80);
		ByteBuffer bytes = ByteBuffer.wrap(random);
		return new UUID(bytes.getLong(), bytes.getLong());
	}

	/** Whether {@code value} is exactly {@code length} lower-case hex characters. */
	public static boolean isLowerHex(String value, int length) {
		if (value.length() != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

}
