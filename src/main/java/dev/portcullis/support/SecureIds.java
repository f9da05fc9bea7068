package dev.portcullis.support;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Unguessable identifiers. One {@link SecureRandom} per thread: the platform's default reads the kernel's
 * non-blocking source, so this is safe on the event loop, and per-thread instances avoid lock contention.
 */
public final class SecureIds {

	private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

	private SecureIds() {
	}

	/** {@code bytes} random bytes as lower-case hex ({@code 2 * bytes} characters). */
	public static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.get().nextBytes(random);
		return HexFormat.of().formatHex(random);
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
