package dev.portcullis.web.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.portcullis.admin.UserLookup;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
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
 * {@code /admin/api/tokens}: the live grants of a client or a user (read through the indexes kept on write, never
 * a scan), revocation of one token's grant, and "log out everywhere" for a client or a user. A revoked token is
 * refused by every replica's proxy at once (the revocation is in Redis).
 */
@RestController
@RequestMapping("/admin/api/tokens")
public class TokenAdminController {

	private final AuthorizationStore authorizations;

	private final AdminAuditTrail auditTrail;


	private final UserLookup users;

	public TokenAdminController(AuthorizationStore authorizations, AdminAuditTrail auditTrail, UserLookup users) {
		this.authorizations = authorizations;
		this.auditTrail = auditTrail;
		this.users = users;
	}

	/**
	 * Live tokens, all or of one client or one user, latest-expiring first. Paged through the stores' indexes, so a
	 * page costs the same with 100,000 live tokens as with ten.
	 */
	@GetMapping
	public Mono<Page<Map<String, Object>>> list(@RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "50") int size) {
		if (clientId != null && userId != null) {
			return Mono.error(AdminApiException.invalid("clientId", "filter by clientId or by userId, not both"));
		}
		Page.check(page, size);
		// @formatter:off
		return userIdOf(userId).map(Optional::of).defaultIfEmpty(Optional.empty())
				.flatMap((user) -> this.authorizations.findPage(clientId, user.orElse(null), page * size, size)
						.map(TokenAdminController::view)
						.collectList()
						.zipWith(this.authorizations.count(clientId, user.orElse(null)))
						.map((items) -> new Page<>(items.getT1(), page, size, items.getT2())));
		// @formatter:on
	}

	/** The user filter as an id: a username is looked up (people type names), anything else is taken as an id. */
	private Mono<String> userIdOf(@Nullable String reference) {
		if (reference == null || reference.isBlank()) {
			return Mono.empty();
		}
		return this.users.find(reference.strip()).map(User::id).defaultIfEmpty(reference.strip());
	}

	/** Revokes the token with this {@code jti} and everything issued in its grant (its refresh token too). */
	@DeleteMapping("/{jti}")
	public Mono<ResponseEntity<Void>> revoke(@PathVariable String jti, Authentication admin) {
		if (!TokenIds.isIssuedJti(jti)) {
			return Mono.error(AdminApiException.notFound("token", jti));
		}
		// @formatter:off
		return this.authorizations.remove(TokenIds.authorizationIdOf(jti))
				.switchIfEmpty(Mono.error(() -> AdminApiException.notFound("token", jti)))
				.flatMap((removed) -> this.auditTrail.record(admin, "token.revoked", jti, "Revoked the " + removed.grantType()
						+ " grant of client " + removed.clientId() + (removed.userId() != null ? " for user " + removed.userId() : "")))
				.thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT).build());
		// @formatter:on
	}

	/** "Log out everywhere": revokes every live grant of the client or of the user. */
	@DeleteMapping
	public Mono<Map<String, Object>> revokeAll(@RequestParam(required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable String userId, Authentication admin) {
		// @formatter:off
		return select(clientId, userId)
				.concatMap((authorization) -> this.authorizations.remove(authorization.id()))
				.count()
				.flatMap((count) -> this.auditTrail.record(admin, "token.revoked-all", (clientId != null) ? clientId : userId,
						"Revoked " + count + " grants of " + ((clientId != null) ? "client " + clientId : "user " + userId))
						.thenReturn(Map.<String, Object>of("revoked", count)));
		// @formatter:on
	}

	private Flux<Authorization> select(@Nullable String clientId, @Nullable String userId) {
		if ((clientId == null) == (userId == null)) {
			return Flux.error(AdminApiException.invalid("clientId", "give exactly one of clientId or userId"));
		}
		return (clientId != null) ? this.authorizations.findByClientId(clientId)
				: userIdOf(userId).flatMapMany(this.authorizations::findByUserId);
	}


	private static Map<String, Object> view(Authorization authorization) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("jti", authorization.accessTokenJti());
		view.put("clientId", authorization.clientId());
		view.put("userId", authorization.userId());
		view.put("grantType", authorization.grantType().value());
		view.put("scopes", authorization.scopes().stream().sorted().toList());
		view.put("issuedAt", authorization.accessTokenIssuedAt().toString());
		view.put("expiresAt", authorization.accessTokenExpiresAt().toString());
		view.put("refreshTokenExpiresAt",
				(authorization.refreshTokenExpiresAt() != null) ? authorization.refreshTokenExpiresAt().toString() : null);
		view.put("grantedAt", authorization.createdAt().toString());
		return view;
	}

}
