package dev.portcullis.web;

import java.util.List;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.guard.ClientAddress;
import dev.portcullis.oauth2.user.User;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.web.server.ServerWebExchange;

/**
 * A username and password checked as the password grant checks them (the same hashing pool and guessing limits,
 * counted per client address), for the login page and the admin API's HTTP Basic alike. A check that finds no user
 * fails as a wrong password does, so the answer never tells the two apart. The principal's name is the user id.
 */
public final class PasswordAuthenticationManager implements ReactiveAuthenticationManager {

	/** The check: the user the credentials belong to, empty or an {@link OAuth2Exception} when they are refused. */
	@FunctionalInterface
	public interface CredentialCheck {

		Mono<User> check(String username, String password);

	}

	private final CredentialCheck check;

	private final String authority;

	private final ClientAddressResolver addresses;

	/**
	 * @param authority the authority a checked user gets, such as {@code ROLE_USER}
	 */
	public PasswordAuthenticationManager(CredentialCheck check, String authority, ClientAddressResolver addresses) {
		this.check = check;
		this.authority = authority;
		this.addresses = addresses;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		// @formatter:off
		return this.check.check(authentication.getName(), String.valueOf(authentication.getCredentials()))
				.map(this::authenticated)
				.switchIfEmpty(Mono.error(() -> new BadCredentialsException("Invalid username or password")))
				.onErrorMap(OAuth2Exception.class, CredentialCheckRefusedException::of)
				// Spring Security puts the exchange in the Reactor context of every request it filters
				.contextWrite((context) -> ClientAddress.put(context, context.getOrEmpty(ServerWebExchange.class)
						.map((exchange) -> this.addresses.resolve(((ServerWebExchange) exchange).getRequest()))
						.orElse(ClientAddress.UNKNOWN)));
		// @formatter:on
	}

	private Authentication authenticated(User user) {
		return UsernamePasswordAuthenticationToken.authenticated(user.id(), null,
				List.of(new SimpleGrantedAuthority(this.authority)));
	}

}
