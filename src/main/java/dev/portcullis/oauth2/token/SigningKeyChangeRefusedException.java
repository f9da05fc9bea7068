package dev.portcullis.oauth2.token;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A change of the signing keys that the rotation rules refuse in the set's current state (no next key to promote,
 * a next key not yet published long enough, a second next key): the message says why.
 */
public class SigningKeyChangeRefusedException extends RuntimeException {

	private final @Nullable Instant possibleFrom;

	public SigningKeyChangeRefusedException(String reason) {
		this(reason, null);
	}

	/**
	 * @param possibleFrom when the same change will be allowed, if waiting is all it takes
	 */
	public SigningKeyChangeRefusedException(String reason, @Nullable Instant possibleFrom) {
		super(reason, null, false, false);
		this.possibleFrom = possibleFrom;
	}

	public @Nullable Instant possibleFrom() {
		return this.possibleFrom;
	}

}
