package dev.portcullis.oauth2.store;

/**
 * A save would give two users the same username.
 */
public class UsernameTakenException extends RuntimeException {

	public UsernameTakenException(String username) {
		super("The username is already taken: " + username);
	}

}
