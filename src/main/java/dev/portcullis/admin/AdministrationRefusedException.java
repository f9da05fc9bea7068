package dev.portcullis.admin;

/**
 * A change the administration rules refuse whoever asks (a conflict with the state, not a malformed request): the
 * message says why, for the API's 409 and the pages' notice.
 */
public class AdministrationRefusedException extends RuntimeException {

	public AdministrationRefusedException(String reason) {
		super(reason);
	}

}
