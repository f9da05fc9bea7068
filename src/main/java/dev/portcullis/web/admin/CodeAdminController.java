package dev.portcullis.web.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.portcullis.oauth2.store.AuthorizationCodeStore.PendingCode;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.support.SecureIds;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/codes}: authorization codes issued and not yet exchanged (known by their SHA-256, the codes
 * themselves are never stored), and their revocation: a revoked code can no longer be exchanged.
 */
@RestController
@RequestMapping("/admin/api/codes")
public class CodeAdminController {

	/** A code is kept by its SHA-256, in lower-case hex (TokenHashing). */
	private static final int CODE_HASH_LENGTH = 64;

	private final AuthorizationCodeStore codes;

	private final AdminAuditTrail auditTrail;


	public CodeAdminController(AuthorizationCodeStore codes, AdminAuditTrail auditTrail) {
		this.codes = codes;
		this.auditTrail = auditTrail;
	}

	@GetMapping
	public Mono<Page<Map<String, Object>>> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size) {
		Page.check(page, size);
		// @formatter:off
		return this.codes.findPending(page * size, size)
				.map(CodeAdminController::view)
				.collectList()
				.zipWith(this.codes.countPending())
				.map((items) -> new Page<>(items.getT1(), page, size, items.getT2()));
		// @formatter:on
	}

	/** Revokes a pending code by its hash (consuming it, so that an exchange fails and a replay counts as reuse). */
	@DeleteMapping("/{codeHash}")
	public Mono<ResponseEntity<Void>> revoke(@PathVariable String codeHash, Authentication admin) {
		// only the shape of a code's SHA-256 reaches the store: a hash such as "}{" would build its keys' cluster hash
		// tags empty, and the keys one script touches would fall in different slots
		if (!SecureIds.isLowerHex(codeHash, CODE_HASH_LENGTH)) {
			return Mono.error(AdminApiException.notFound("pending code", codeHash));
		}
		// @formatter:off
		return this.codes.consume(codeHash)
				.switchIfEmpty(Mono.error(() -> AdminApiException.notFound("pending code", codeHash)))
				.flatMap((code) -> this.auditTrail.record(admin, "code.revoked", codeHash, "Revoked a code of client " + code.clientId() + " for user " + code.userId()))
				.thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
		// @formatter:on
	}

	private static Map<String, Object> view(PendingCode pending) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("codeHash", pending.codeHash());
		view.put("clientId", pending.code().clientId());
		view.put("userId", pending.code().userId());
		view.put("scopes", pending.code().scopes().stream().sorted().toList());
		view.put("redirectUri", pending.code().redirectUri());
		view.put("issuedAt", pending.code().issuedAt().toString());
		view.put("expiresAt", pending.code().expiresAt().toString());
		return view;
	}

}
