package dev.portcullis.admin;

/**
 * The client, user, token, code or consent an administrator named does not exist (or no longer does).
 */
public class NoSuchObjectException extends RuntimeException {

	public NoSuchObjectException(String what, String id) {
		super("No " + what + " with id " + id, null, false, false);
	}

}
