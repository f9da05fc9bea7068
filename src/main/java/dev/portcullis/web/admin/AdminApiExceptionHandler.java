package dev.portcullis.web.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.web.server.RequestBodyDeadline;

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
 * Renders admin API refusals as {@code {"error","error_description","fields"?}}, never a stack trace.
 */
@RestControllerAdvice(basePackageClasses = AdminApiExceptionHandler.class)
public class AdminApiExceptionHandler {

	@ExceptionHandler(AdminApiException.class)
	ResponseEntity<Map<String, Object>> refused(AdminApiException ex) {
		return body(ex.status(), ex.error(), ex.getMessage(), ex.fields());
	}

	@ExceptionHandler(AdministrationRefusedException.class)
	ResponseEntity<Map<String, Object>> administrationRefused(AdministrationRefusedException ex) {
		return body(HttpStatus.CONFLICT, "conflict", ex.getMessage(), Map.of("id", ex.getMessage()));
	}

	@ExceptionHandler(UsernameTakenException.class)
	ResponseEntity<Map<String, Object>> usernameTaken(UsernameTakenException ex) {
		return body(HttpStatus.CONFLICT, "conflict", "The username is already taken",
				Map.of("username", "is already taken"));
	}

	/** Too many password checks waiting (HashingPool): nothing was written, the caller may retry. */
	@ExceptionHandler(RejectedExecutionException.class)
	ResponseEntity<Map<String, Object>> busy(RejectedExecutionException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(body(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable", "Too many password checks are waiting; try again",
					Map.of()).getBody());
	}

	/** A required query parameter left out: named, in {@code fields} too, rather than blamed on the body. */
	@ExceptionHandler(MissingRequestValueException.class)
	ResponseEntity<Map<String, Object>> missing(MissingRequestValueException ex) {
		return body(HttpStatus.BAD_REQUEST, "invalid_request", "The " + ex.getLabel() + " '" + ex.getName()
				+ "' is required", Map.of(ex.getName(), "is required"));
	}

	/** Unreadable JSON, a wrong type, a missing body; a body that did not arrive in time (408). */
	@ExceptionHandler({ ServerWebInputException.class, DecodingException.class })
	ResponseEntity<Map<String, Object>> unreadable(Exception ex) {
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

	private static ResponseEntity<Map<String, Object>> body(HttpStatus status, String error, String description,
			Map<String, String> fields) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error);
		body.put("error_description", description);
		if (!fields.isEmpty()) {
			body.put("fields", new java.util.TreeMap<>(fields));
		}
		return ResponseEntity.status(status).body(body);
	}

}
