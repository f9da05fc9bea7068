package dev.portcullis.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change refused because of what was asked (a malformed or contradictory request, not a conflict with the
 * state): each field that is wrong, with what is wrong with it. Nothing was changed when it is thrown.
 */
public class InvalidFieldsException extends RuntimeException {

	private final Map<String, String> fields;

	public InvalidFieldsException(Map<String, String> fields) {
		super("Some fields are not valid", null, false, false);
		// in the order the checks found them, for a message that follows the form
		this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
	}

	public InvalidFieldsException(String field, String problem) {
		this(Map.of(field, problem));
	}

	/** Throws when any problem was found; the checks before it collect them all, so one answer names every field. */
	static void check(Map<String, String> problems) {
		if (!problems.isEmpty()) {
			throw new InvalidFieldsException(problems);
		}
	}

	public Map<String, String> fields() {
		return this.fields;
	}

}
