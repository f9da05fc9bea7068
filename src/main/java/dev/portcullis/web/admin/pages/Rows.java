package dev.portcullis.web.admin.pages;

import java.time.Instant;
import java.util.List;

import dev.portcullis.admin.Names.Found;
import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.AuthorizationCodeStore.PendingCode;
import org.jspecify.annotations.Nullable;

/**
 * The rows of the pages' tables: what the API answers, with times as people read them (UTC).
 */
final class Rows {

	private Rows() {
	}

	/**
	 * A live token, by the grant it belongs to: its client's name and its user's username ({@code null} when deleted
	 * since, or when a client acts as itself), times as shown, and as ISO-8601 ({@code issuedAt}, {@code expiresAt},
	 * {@code refreshTokenExpiresAt}) for the page's relative times.
	 */
	record TokenRow(String jti, String clientId, @Nullable String clientName, @Nullable String userId,
			@Nullable String username, String grantType, List<String> scopes, String issued, String expires,
			@Nullable String refreshTokenExpires, String issuedAt, String expiresAt,
			@Nullable String refreshTokenExpiresAt) {

		static TokenRow of(Authorization authorization, Found names) {
			Instant refreshExpiry = authorization.refreshTokenExpiresAt();
			return new TokenRow(authorization.accessTokenJti(), authorization.clientId(),
					names.clientName(authorization.clientId()), authorization.userId(),
					names.username(authorization.userId()), authorization.grantType().value(),
					authorization.scopes().stream().sorted().toList(),
					AdminPageSupport.when(authorization.accessTokenIssuedAt()),
					AdminPageSupport.when(authorization.accessTokenExpiresAt()),
					(refreshExpiry != null) ? AdminPageSupport.when(refreshExpiry) : null,
					authorization.accessTokenIssuedAt().toString(), authorization.accessTokenExpiresAt().toString(),
					(refreshExpiry != null) ? refreshExpiry.toString() : null);
		}

	}

	/** An authorization code not yet exchanged, known by its SHA-256, with its client's name and user's username. */
	record CodeRow(String codeHash, String clientId, @Nullable String clientName, String userId,
			@Nullable String username, List<String> scopes, @Nullable String redirectUri, String issued, String expires,
			String issuedAt, String expiresAt) {

		static CodeRow of(PendingCode pending, Found names) {
			return new CodeRow(pending.codeHash(), pending.code().clientId(), names.clientName(pending.code().clientId()),
					pending.code().userId(), names.username(pending.code().userId()),
					pending.code().scopes().stream().sorted().toList(), pending.code().redirectUri(),
					AdminPageSupport.when(pending.code().issuedAt()), AdminPageSupport.when(pending.code().expiresAt()),
					pending.code().issuedAt().toString(), pending.code().expiresAt().toString());
		}

	}

	/** A user's remembered "Authorize" decision, with the client's name. */
	record ConsentRow(String clientId, @Nullable String clientName, String userId, List<String> scopes, String granted,
			String grantedAt) {

		static ConsentRow of(Consent consent, Found names) {
			return new ConsentRow(consent.clientId(), names.clientName(consent.clientId()), consent.userId(),
					consent.scopes().stream().sorted().toList(), AdminPageSupport.when(consent.grantedAt()),
					consent.grantedAt().toString());
		}

	}

	/** A client to link to, by name. */
	record ClientLink(String id, String name) {

		static ClientLink of(RegisteredClient client) {
			return new ClientLink(client.id(), client.name());
		}

	}

	/** An entry of the audit log. */
	/** @param instant the time in ISO-8601, for the page's relative time */
	record EventRow(String at, String instant, String actor, String action, String target, String detail) {

		static EventRow of(AuditEvent event) {
			return new EventRow(AdminPageSupport.when(event.at()), event.at().toString(), event.actor(), event.action(),
					event.target(), event.detail());
		}

	}

	/** The new-user form as typed (the password is never shown again). */
	record UserForm(String username, boolean active, boolean admin) {
	}

}
