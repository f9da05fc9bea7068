package dev.portcullis.web.admin;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.store.ConsentStore;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/consents}: a user's remembered "Authorize" decisions, and their withdrawal (the next
 * authorization request from that client asks the user again).
 */
@RestController
@RequestMapping("/admin/api/consents")
public class ConsentAdminController {

	private final ConsentStore consents;

	private final AdminAuditTrail auditTrail;


	public ConsentAdminController(ConsentStore consents, AdminAuditTrail auditTrail) {
		this.consents = consents;
		this.auditTrail = auditTrail;
	}

	@GetMapping
	public Mono<List<Map<String, Object>>> list(@RequestParam String userId) {
		// @formatter:off
		return this.consents.findByUserId(userId)
				.sort(Comparator.comparing(Consent::grantedAt).reversed())
				.map(ConsentAdminController::view)
				.collectList();
		// @formatter:on
	}

	@DeleteMapping
	public Mono<ResponseEntity<Void>> revoke(@RequestParam String userId, @RequestParam String clientId,
			Authentication admin) {
		// @formatter:off
		return this.consents.revoke(clientId, userId)
				.filter(Boolean::booleanValue)
				.switchIfEmpty(Mono.error(() -> AdminApiException.notFound("consent", clientId + "/" + userId)))
				.flatMap((revoked) -> this.auditTrail.record(admin, "consent.revoked", userId, "Withdrew the consent of user " + userId + " for client " + clientId))
				.thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
		// @formatter:on
	}

	private static Map<String, Object> view(Consent consent) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("clientId", consent.clientId());
		view.put("userId", consent.userId());
		view.put("scopes", consent.scopes().stream().sorted().toList());
		view.put("grantedAt", consent.grantedAt().toString());
		return view;
	}

}
