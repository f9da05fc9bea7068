package dev.portcullis.admin;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.AuthorizationCodeStore.PendingCode;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.SecureIds;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What has been granted, and its revocation: live tokens (by their grant), pending authorization codes and
 * remembered consents. It also ends what depends on a changed client or user: a change that narrows a client ends
 * every grant it no longer covers, so that neither an access token issued before nor a refresh keeps what was taken
 * away. A revoked token is refused by every replica's proxy at once (the revocation is in the store).
 */
public final class GrantAdministration {

	/** A code is kept by its SHA-256, in lower-case hex (TokenHashing). */
	private static final int CODE_HASH_LENGTH = 64;

	private final AuthorizationStore authorizations;

	private final AuthorizationCodeStore codes;

	private final ConsentStore consents;

	private final UserLookup users;

	private final ClientLookup clients;

	private final AuditTrail auditTrail;

	public GrantAdministration(AuthorizationStore authorizations, AuthorizationCodeStore codes, ConsentStore consents,
			UserLookup users, ClientLookup clients, AuditTrail auditTrail) {
		this.authorizations = authorizations;
		this.codes = codes;
		this.consents = consents;
		this.users = users;
		this.clients = clients;
		this.auditTrail = auditTrail;
	}

	/**
	 * Ends the grants of the client that its new settings no longer cover: a scope it may no longer have, a grant
	 * type it may no longer use, or any grant at all when it stops being confidential (they were obtained with its
	 * secret, and a public client's refresh needs none) or acts with another backend credential (the proxy reads a
	 * grant's credential once, at its first use, so no token keeps acting with the old one). Emits how many grants
	 * ended.
	 * @param before the client as it was
	 * @param after the client as it is now
	 */
	public Mono<Long> revokeGrantsBeyond(RegisteredClient before, RegisteredClient after) {
		boolean endAll = (before.confidential() && !after.confidential()) || !Objects.equals(
				before.tokenSettings().backendCredential(), after.tokenSettings().backendCredential());
		// @formatter:off
		return this.authorizations.findByClientId(after.id())
				.filter((authorization) -> endAll || exceeds(authorization, after))
				.concatMap((authorization) -> this.authorizations.remove(authorization.id()))
				.count();
		// @formatter:on
	}

	/** Ends every grant of the client (it is being deleted). Emits how many grants ended. */
	public Mono<Long> revokeAllGrants(String clientId) {
		return removeAll(this.authorizations.findByClientId(clientId));
	}

	/** Ends every grant of the user (deactivated, deleted or given a new password). Emits how many grants ended. */
	public Mono<Long> revokeUserGrants(String userId) {
		return removeAll(this.authorizations.findByUserId(userId));
	}

	/**
	 * Live tokens, all or of one client (a client name or an id) or one user (a username or an id), latest-expiring
	 * first. Paged through the stores' indexes, so a page costs the same with 100,000 live tokens as with ten.
	 */
	public Mono<Listing<Authorization>> tokens(@Nullable String client, @Nullable String user, int offset,
			int limit) {
		if (client != null && user != null) {
			return Mono.error(new InvalidFieldsException("clientId", "filter by clientId or by userId, not both"));
		}
		// @formatter:off
		return Mono.zip(optional(clientIdOf(client)), optional(userIdOf(user)))
				.flatMap((ids) -> Listing.of(this.authorizations.findPage(ids.getT1().orElse(null), ids.getT2().orElse(null), offset, limit),
						this.authorizations.count(ids.getT1().orElse(null), ids.getT2().orElse(null))));
		// @formatter:on
	}

	/** How many live grants the user has. */
	public Mono<Long> liveTokenCount(String userId) {
		return this.authorizations.count(null, userId);
	}

	/** Revokes the token with this {@code jti} and everything issued in its grant (its refresh token too). */
	public Mono<Authorization> revokeToken(String jti, String actor) {
		if (!TokenIds.isIssuedJti(jti)) {
			return Mono.error(new NoSuchObjectException("token", jti));
		}
		// @formatter:off
		return this.authorizations.remove(TokenIds.authorizationIdOf(jti))
				.switchIfEmpty(Mono.error(() -> new NoSuchObjectException("token", jti)))
				.flatMap((removed) -> this.auditTrail.record(actor, "token.revoked", jti, "Revoked the " + removed.grantType()
						+ " grant of client " + removed.clientId() + (removed.userId() != null ? " for user " + removed.userId() : ""))
						.thenReturn(removed));
		// @formatter:on
	}

	/**
	 * "Log out everywhere": revokes every live grant of the client (a client name or an id) or of the user (a username
	 * or an id). Emits how many grants ended.
	 */
	public Mono<Long> revokeAll(@Nullable String clientId, @Nullable String user, String actor) {
		if ((clientId == null) == (user == null)) {
			return Mono.error(new InvalidFieldsException("clientId", "give exactly one of clientId or userId"));
		}
		Flux<Authorization> selected = (clientId != null)
				? clientIdOf(clientId).flatMapMany(this.authorizations::findByClientId)
				: userIdOf(user).flatMapMany(this.authorizations::findByUserId);
		// @formatter:off
		return removeAll(selected)
				.flatMap((count) -> this.auditTrail.record(actor, "token.revoked-all", (clientId != null) ? clientId : user,
						"Revoked " + count + " grants of " + ((clientId != null) ? "client " + clientId : "user " + user))
						.thenReturn(count));
		// @formatter:on
	}

	/** Authorization codes issued and not yet exchanged, known by their SHA-256 (the codes are never stored). */
	public Mono<Listing<PendingCode>> pendingCodes(int offset, int limit) {
		return Listing.of(this.codes.findPending(offset, limit), this.codes.countPending());
	}

	/** Revokes a pending code by its hash (consuming it, so that an exchange fails and a replay counts as reuse). */
	public Mono<Void> revokeCode(String codeHash, String actor) {
		// only the shape of a code's SHA-256 reaches the store: a hash such as "}{" would build its keys' cluster hash
		// tags empty, and the keys one script touches would fall in different slots
		if (!SecureIds.isLowerHex(codeHash, CODE_HASH_LENGTH)) {
			return Mono.error(new NoSuchObjectException("pending code", codeHash));
		}
		// @formatter:off
		return this.codes.consume(codeHash)
				.switchIfEmpty(Mono.error(() -> new NoSuchObjectException("pending code", codeHash)))
				.flatMap((code) -> this.auditTrail.record(actor, "code.revoked", codeHash, "Revoked a code of client " + code.clientId() + " for user " + code.userId()));
		// @formatter:on
	}

	/** A user's remembered "Authorize" decisions, newest first. */
	public Flux<Consent> consents(String userId) {
		return this.consents.findByUserId(userId).sort(Comparator.comparing(Consent::grantedAt).reversed());
	}

	/** Withdraws a consent: the next authorization request from that client asks the user again. */
	public Mono<Void> withdrawConsent(String userId, String clientId, String actor) {
		// @formatter:off
		return this.consents.revoke(clientId, userId)
				.filter(Boolean::booleanValue)
				.switchIfEmpty(Mono.error(() -> new NoSuchObjectException("consent", clientId + "/" + userId)))
				.flatMap((revoked) -> this.auditTrail.record(actor, "consent.revoked", userId, "Withdrew the consent of user " + userId + " for client " + clientId));
		// @formatter:on
	}

	/** The user filter as an id: a username is looked up (people type names), anything else is taken as an id. */
	private Mono<String> userIdOf(@Nullable String reference) {
		if (reference == null || reference.isBlank()) {
			return Mono.empty();
		}
		return this.users.find(reference.strip()).map(User::id).defaultIfEmpty(reference.strip());
	}

	/** The client filter as an id: an id is taken as it is, else a client name is looked up. */
	private Mono<String> clientIdOf(@Nullable String reference) {
		if (reference == null || reference.isBlank()) {
			return Mono.empty();
		}
		return this.clients.find(reference.strip(), "clientId").map(RegisteredClient::id).defaultIfEmpty(reference.strip());
	}

	private static Mono<Optional<String>> optional(Mono<String> id) {
		return id.map(Optional::of).defaultIfEmpty(Optional.empty());
	}

	private Mono<Long> removeAll(Flux<Authorization> grants) {
		return grants.concatMap((authorization) -> this.authorizations.remove(authorization.id())).count();
	}

	private static boolean exceeds(Authorization authorization, RegisteredClient client) {
		return !client.grantTypes().contains(authorization.grantType())
				|| !client.scopes().containsAll(authorization.scopes());
	}

}
