package dev.portcullis.web.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import dev.portcullis.admin.AdministrationRefusedException;
import dev.portcullis.store.UsernameTakenException;
import dev.portcullis.web.server.RequestBodyDeadline;

import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
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

	/** Unreadable JSON, a wrong type, a missing body; a body that did not arrive in time (408). */
	@ExceptionHandler({ ServerWebInputException.class, DecodingException.class })
	ResponseEntity<Map<String, Object>> unreadable(Exception ex) {
		if (RequestBodyDeadline.isLate(ex)) {
			return body(HttpStatus.REQUEST_TIMEOUT, "invalid_request", "The request body did not arrive in time", Map.of());
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
