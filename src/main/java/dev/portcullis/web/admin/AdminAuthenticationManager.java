package dev.portcullis.web.admin;

import java.util.List;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.guard.ClientAddress;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.web.ClientAddressResolver;
import dev.portcullis.web.CredentialCheckRefusedException;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.web.server.ServerWebExchange;

/**
 * HTTP Basic for the admin API: an active administrator's credentials (the same check as the password grant).
 * Anything else, a correct password of a user who is not an administrator included, fails the same way, so the
 * answer (401) never tells a right password from a wrong one. The principal's name is the user id.
 */
public final class AdminAuthenticationManager implements ReactiveAuthenticationManager {

	public static final String ADMIN = "ROLE_ADMIN";

	private final UserAuthenticator users;

	private final ClientAddressResolver addresses;

	public AdminAuthenticationManager(UserAuthenticator users, ClientAddressResolver addresses) {
		this.users = users;
		this.addresses = addresses;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		// @formatter:off
		return this.users.authenticateAdministrator(authentication.getName(), String.valueOf(authentication.getCredentials()))
				.map(AdminAuthenticationManager::authenticated)
				.switchIfEmpty(Mono.error(() -> new BadCredentialsException("Invalid username or password")))
				.onErrorMap(OAuth2Exception.class, CredentialCheckRefusedException::of)
				// Spring Security puts the exchange in the Reactor context of every request it filters
				.contextWrite((context) -> ClientAddress.put(context, context.getOrEmpty(ServerWebExchange.class)
						.map((exchange) -> this.addresses.resolve(((ServerWebExchange) exchange).getRequest()))
						.orElse(ClientAddress.UNKNOWN)));
		// @formatter:on
	}

	private static Authentication authenticated(User user) {
		return UsernamePasswordAuthenticationToken.authenticated(user.id(), null,
				List.of(new SimpleGrantedAuthority(ADMIN)));
	}

}
