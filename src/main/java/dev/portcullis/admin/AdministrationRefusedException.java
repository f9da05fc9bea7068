package dev.portcullis.admin;

/**
 * A change the administration rules refuse whoever asks (a conflict with the state, not a malformed request): the
 * message says why, for the API's 409 and the pages' notice.
 */
public class AdministrationRefusedException extends RuntimeException {

	private final String field;

	public AdministrationRefusedException(String reason) {
		this("id", reason);
	}

	/**
	 * @param field the field whose value conflicts with the state ({@code id} when it is the object itself)
	 */
	public AdministrationRefusedException(String field, String reason) {
		super(reason);
		this.field = field;
	}

	public String field() {
		return this.field;
	}

}
