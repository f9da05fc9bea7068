package dev.portcullis.web.admin;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A refused admin API request: 400 with the fields that are wrong, 404 for an unknown id, 409 for a conflict.
 * Rendered by {@link AdminApiExceptionHandler}; nothing was changed when it is thrown.
 */
public final class AdminApiException extends RuntimeException {

	private final HttpStatus status;

	private final String error;

	private final Map<String, String> fields;

	private AdminApiException(HttpStatus status, String error, String message, Map<String, String> fields) {
		super(message, null, false, false);
		this.status = status;
		this.error = error;
		this.fields = Map.copyOf(fields);
	}

	public static AdminApiException invalid(Map<String, String> fields) {
		return new AdminApiException(HttpStatus.BAD_REQUEST, "invalid_request", "Some fields are not valid", fields);
	}

	public static AdminApiException invalid(String field, String problem) {
		return invalid(Map.of(field, problem));
	}

	public static AdminApiException notFound(String what, String id) {
		return new AdminApiException(HttpStatus.NOT_FOUND, "not_found", "No " + what + " with id " + id, Map.of());
	}

	public static AdminApiException conflict(String field, String problem) {
		return new AdminApiException(HttpStatus.CONFLICT, "conflict", problem, Map.of(field, problem));
	}

	public HttpStatus status() {
		return this.status;
	}

	public String error() {
		return this.error;
	}

	public Map<String, String> fields() {
		return this.fields;
	}

}
