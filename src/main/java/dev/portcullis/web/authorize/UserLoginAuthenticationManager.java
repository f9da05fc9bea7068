package dev.portcullis.web.authorize;

import java.net.InetSocketAddress;
import java.util.List;

import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.oauth2.user.UserAuthenticator;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.web.server.ServerWebExchange;

/**
 * Logs Portcullis users in on the login page: the same credential check as the password grant (inactive users
 * cannot log in), slowed by the {@link LoginThrottle} for repeated failures. The principal's name is the user id and
 * the authority {@code ROLE_USER}; whether the user may use the admin pages is asked of the user store on every
 * request ({@code AdministratorAuthorizationManager}), never remembered from the login.
 */
public final class UserLoginAuthenticationManager implements ReactiveAuthenticationManager {

	static final String USER = "ROLE_USER";

	private final UserAuthenticator users;

	private final LoginThrottle throttle;

	public UserLoginAuthenticationManager(UserAuthenticator users, LoginThrottle throttle) {
		this.users = users;
		this.throttle = throttle;
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		String username = authentication.getName();
		String password = String.valueOf(authentication.getCredentials());
		// Spring Security puts the exchange in the Reactor context of every request it filters
		return Mono.deferContextual((context) -> {
			String address = context.<ServerWebExchange>getOrEmpty(ServerWebExchange.class)
				.map(ServerWebExchange::getRequest)
				.map((request) -> request.getRemoteAddress())
				.map(InetSocketAddress::getHostString)
				.orElse("unknown");
			// @formatter:off
			return Mono.delay(this.throttle.delayFor(username, address))
					.then(this.users.authenticate(username, password))
					.map((user) -> {
						this.throttle.recordSuccess(username);
						return authenticated(user);
					})
					.onErrorMap(OAuth2Exception.class, (ex) -> {
						this.throttle.recordFailure(username, address);
						return new BadCredentialsException("Invalid username or password");
					});
			// @formatter:on
		});
	}

	private static Authentication authenticated(User user) {
		return UsernamePasswordAuthenticationToken.authenticated(user.id(), null,
				List.of(new SimpleGrantedAuthority(USER)));
	}

}
