package dev.portcullis.web.authorize;

import java.util.List;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.guard.ClientAddress;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.web.ClientAddressResolver;
import dev.portcullis.web.CredentialCheckRefusedException;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.web.server.ServerWebExchange;

/**
 * Logs Portcullis users in on the login page: the same credential check, under the same guessing limits, as the
 * password grant (inactive users cannot log in). The principal's name is the user id and the authority
 * {@code ROLE_USER}; whether the user may use the admin pages is asked of the user store on every request
 * ({@code AdministratorAuthorizationManager}), never remembered from the login.
 */
public final class UserLoginAuthenticationManager implements ReactiveAuthenticationManager {

	static final String USER = "ROLE_USER";

	private final UserAuthenticator users;

	private final ClientAddressResolver addresses;

	public UserLoginAuthenticationManager(UserAuthenticator users, ClientAddressResolver addresses) {
		this.users = users;
		this.addresses = addresses;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		// @formatter:off
		return this.users.authenticate(authentication.getName(), String.valueOf(authentication.getCredentials()))
				.map(UserLoginAuthenticationManager::authenticated)
				.onErrorMap(OAuth2Exception.class, CredentialCheckRefusedException::of)
				// Spring Security puts the exchange in the Reactor context of every request it filters
				.contextWrite((context) -> ClientAddress.put(context, context.getOrEmpty(ServerWebExchange.class)
						.map((exchange) -> this.addresses.resolve(((ServerWebExchange) exchange).getRequest()))
						.orElse(ClientAddress.UNKNOWN)));
		// @formatter:on
	}

	private static Authentication authenticated(User user) {
		return UsernamePasswordAuthenticationToken.authenticated(user.id(), null,
				List.of(new SimpleGrantedAuthority(USER)));
	}

}
