package dev.portcullis.web;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.portcullis.oauth2.OAuth2Exception;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of a token request body, whatever its content type: single string values, plus the names that
 * were repeated or were not strings (a JSON number, array or object, a file part), which are malformed whenever a
 * grant reads them.
 */
final class RequestParameters {

	private final Map<String, String> values = new HashMap<>();

	private final Set<String> malformed = new HashSet<>();

	/** Adds a string value; a second value for the same name makes the parameter malformed. */
	void add(String name, String value) {
		if (this.malformed.contains(name) || this.values.putIfAbsent(name, value) != null) {
			this.values.remove(name);
			this.malformed.add(name);
		}
	}

	/** Records a value that is not a string. */
	void addMalformed(String name) {
		this.values.remove(name);
		this.malformed.add(name);
	}

	boolean isMalformed(String name) {
		return this.malformed.contains(name);
	}

	/**
	 * The parameter's value, or {@code null} when absent.
	 * @throws OAuth2Exception {@code invalid_request} naming the parameter when it was repeated or not a string
	 */
	@Nullable String optional(String name) {
		if (this.malformed.contains(name)) {
			throw OAuth2Exception.invalidRequest(name);
		}
		return this.values.get(name);
	}

}
