package dev.portcullis.web.admin;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.NoSuchObjectException;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.web.server.RequestBodyDeadline;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebInputException;

/**
 * Renders admin API refusals as {@code {"error","error_description","fields"?}}, never a stack trace: 400 with the
 * fields that are wrong, 404 for an unknown id, 409 for a conflict with the state. Nothing was changed.
 */
@RestControllerAdvice(basePackageClasses = AdminApiExceptionHandler.class)
public class AdminApiExceptionHandler {

	/** The body of a refusal; {@code fields} names what is wrong, sorted, when it is one field or more. */
	record ErrorBody(String error, @JsonProperty("error_description") String errorDescription,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable SortedMap<String, String> fields) {
	}

	@ExceptionHandler(InvalidFieldsException.class)
	ResponseEntity<ErrorBody> invalid(InvalidFieldsException ex) {
		return body(HttpStatus.BAD_REQUEST, "invalid_request", ex.getMessage(), ex.fields());
	}

	@ExceptionHandler(NoSuchObjectException.class)
	ResponseEntity<ErrorBody> notFound(NoSuchObjectException ex) {
		return body(HttpStatus.NOT_FOUND, "not_found", ex.getMessage(), Map.of());
	}

	@ExceptionHandler(AdministrationRefusedException.class)
	ResponseEntity<ErrorBody> administrationRefused(AdministrationRefusedException ex) {
		return body(HttpStatus.CONFLICT, "conflict", ex.getMessage(), Map.of(ex.field(), ex.getMessage()));
	}

	@ExceptionHandler(UsernameTakenException.class)
	ResponseEntity<ErrorBody> usernameTaken(UsernameTakenException ex) {
		return body(HttpStatus.CONFLICT, "conflict", "The username is already taken",
				Map.of("username", "is already taken"));
	}

	/** Too many password checks waiting (HashingPool): nothing was written, the caller may retry. */
	@ExceptionHandler(RejectedExecutionException.class)
	ResponseEntity<ErrorBody> busy(RejectedExecutionException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(body(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable",
					"Too many password checks are waiting; try again", Map.of()).getBody());
	}

	/** A required query parameter left out: named, in {@code fields} too, rather than blamed on the body. */
	@ExceptionHandler(MissingRequestValueException.class)
	ResponseEntity<ErrorBody> missing(MissingRequestValueException ex) {
		return body(HttpStatus.BAD_REQUEST, "invalid_request", "The " + ex.getLabel() + " '" + ex.getName()
				+ "' is required", Map.of(ex.getName(), "is required"));
	}

	/** Unreadable JSON, a wrong type, a missing body; a body that did not arrive in time (408). */
	@ExceptionHandler({ ServerWebInputException.class, DecodingException.class })
	ResponseEntity<ErrorBody> unreadable(Exception ex) {
		if (RequestBodyDeadline.isLate(ex)) {
			return body(HttpStatus.REQUEST_TIMEOUT, "invalid_request", "The request body did not arrive in time", Map.of());
		}
		MethodParameter parameter = (ex instanceof ServerWebInputException input) ? input.getMethodParameter() : null;
		if (parameter != null && !parameter.hasParameterAnnotation(RequestBody.class)
				&& parameter.getParameterName() != null) {
			// a query or path parameter of the wrong type (?page=abc), not the body
			String name = parameter.getParameterName();
			return body(HttpStatus.BAD_REQUEST, "invalid_request", "The parameter '" + name + "' is not valid",
					Map.of(name, "is not valid"));
		}
		return body(HttpStatus.BAD_REQUEST, "invalid_request", "The request body is not valid JSON of the expected shape",
				Map.of());
	}

	private static ResponseEntity<ErrorBody> body(HttpStatus status, String error, String description,
			Map<String, String> fields) {
		return ResponseEntity.status(status)
			.body(new ErrorBody(error, description, fields.isEmpty() ? null : new TreeMap<>(fields)));
	}

}
