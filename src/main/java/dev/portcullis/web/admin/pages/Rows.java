package dev.portcullis.web.admin.pages;

import java.util.List;

import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.store.AuthorizationCodeStore.PendingCode;
import org.jspecify.annotations.Nullable;

/**
 * The rows of the pages' tables: what the API answers, with times as people read them (UTC).
 */
final class Rows {

	private Rows() {
	}

	/**
	 * A live token, by the grant it belongs to: times as shown, and as ISO-8601 ({@code issuedAt}, {@code expiresAt})
	 * for the page's relative times.
	 */
	record TokenRow(String jti, String clientId, @Nullable String userId, String grantType, List<String> scopes,
			String issued, String expires, @Nullable String refreshTokenExpires, String issuedAt, String expiresAt) {

		static TokenRow of(Authorization authorization) {
			return new TokenRow(authorization.accessTokenJti(), authorization.clientId(), authorization.userId(),
					authorization.grantType().value(), authorization.scopes().stream().sorted().toList(),
					AdminPageSupport.when(authorization.accessTokenIssuedAt()),
					AdminPageSupport.when(authorization.accessTokenExpiresAt()),
					(authorization.refreshTokenExpiresAt() != null)
							? AdminPageSupport.when(authorization.refreshTokenExpiresAt()) : null,
					authorization.accessTokenIssuedAt().toString(), authorization.accessTokenExpiresAt().toString());
		}

	}

	/** An authorization code not yet exchanged, known by its SHA-256. */
	record CodeRow(String codeHash, String clientId, String userId, List<String> scopes, @Nullable String redirectUri,
			String issued, String expires, String issuedAt, String expiresAt) {

		static CodeRow of(PendingCode pending) {
			return new CodeRow(pending.codeHash(), pending.code().clientId(), pending.code().userId(),
					pending.code().scopes().stream().sorted().toList(), pending.code().redirectUri(),
					AdminPageSupport.when(pending.code().issuedAt()), AdminPageSupport.when(pending.code().expiresAt()),
					pending.code().issuedAt().toString(), pending.code().expiresAt().toString());
		}

	}

	/** A user's remembered "Authorize" decision. */
	record ConsentRow(String clientId, String userId, List<String> scopes, String granted, String grantedAt) {

		static ConsentRow of(Consent consent) {
			return new ConsentRow(consent.clientId(), consent.userId(), consent.scopes().stream().sorted().toList(),
					AdminPageSupport.when(consent.grantedAt()), consent.grantedAt().toString());
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
