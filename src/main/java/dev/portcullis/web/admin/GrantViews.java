package dev.portcullis.web.admin;

import java.util.List;

import dev.portcullis.oauth2.Authorization;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.store.AuthorizationCodeStore.PendingCode;
import org.jspecify.annotations.Nullable;

/**
 * What has been granted, as the admin API answers it: instants in ISO-8601, scopes sorted.
 */
final class GrantViews {

	private GrantViews() {
	}

	/** A live token, by the grant it belongs to. */
	record TokenView(String jti, String clientId, @Nullable String userId, String grantType, List<String> scopes,
			String issuedAt, String expiresAt, @Nullable String refreshTokenExpiresAt, String grantedAt) {

		static TokenView of(Authorization authorization) {
			return new TokenView(authorization.accessTokenJti(), authorization.clientId(), authorization.userId(),
					authorization.grantType().value(), authorization.scopes().stream().sorted().toList(),
					authorization.accessTokenIssuedAt().toString(), authorization.accessTokenExpiresAt().toString(),
					(authorization.refreshTokenExpiresAt() != null) ? authorization.refreshTokenExpiresAt().toString()
							: null,
					authorization.createdAt().toString());
		}

	}

	/** An authorization code not yet exchanged, known by its SHA-256. */
	record CodeView(String codeHash, String clientId, String userId, List<String> scopes, @Nullable String redirectUri,
			String issuedAt, String expiresAt) {

		static CodeView of(PendingCode pending) {
			return new CodeView(pending.codeHash(), pending.code().clientId(), pending.code().userId(),
					pending.code().scopes().stream().sorted().toList(), pending.code().redirectUri(),
					pending.code().issuedAt().toString(), pending.code().expiresAt().toString());
		}

	}

	/** A remembered "Authorize" decision. */
	record ConsentView(String clientId, String userId, List<String> scopes, String grantedAt) {

		static ConsentView of(Consent consent) {
			return new ConsentView(consent.clientId(), consent.userId(), consent.scopes().stream().sorted().toList(),
					consent.grantedAt().toString());
		}

	}

	/** The answer to "revoke all". */
	record Revoked(long revoked) {
	}

}
