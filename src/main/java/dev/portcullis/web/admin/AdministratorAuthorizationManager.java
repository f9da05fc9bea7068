package dev.portcullis.web.admin;

import java.util.List;
import java.util.Set;

import dev.portcullis.admin.AdministrationAccess;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.authorization.AuthorizationContext;

/**
 * Lets a request into the admin API or pages only when its caller may administer now, asked of
 * {@link AdministrationAccess} on every request: an administrator's HTTP Basic credentials or page session (the
 * principal's name is the user id), or an access token that may use the admin API. Nothing is taken from the
 * authorities granted at login, so a demoted, deactivated or deleted administrator is refused on the next request.
 */
public final class AdministratorAuthorizationManager implements ReactiveAuthorizationManager<AuthorizationContext> {

	private final AdministrationAccess access;

	public AdministratorAuthorizationManager(AdministrationAccess access) {
		this.access = access;
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		// @formatter:off
		return authentication
				.filter((caller) -> caller.isAuthenticated() && !(caller instanceof AnonymousAuthenticationToken))
				.flatMap(this::mayAdminister)
				.defaultIfEmpty(false)
				.map(AuthorizationDecision::new);
		// @formatter:on
	}

	private Mono<Boolean> mayAdminister(Authentication caller) {
		if (caller instanceof JwtAuthenticationToken token) {
			Jwt jwt = token.getToken();
			String clientId = jwt.getClaimAsString("client_id");
			List<String> scopes = jwt.getClaimAsStringList("scopes");
			if (clientId == null || jwt.getSubject() == null || scopes == null) {
				return Mono.just(false);
			}
			return this.access.mayAdministerWithToken(clientId, jwt.getSubject(), Set.copyOf(scopes));
		}
		return this.access.isActiveAdministrator(caller.getName());
	}

}
