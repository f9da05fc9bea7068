package dev.portcullis.config;

import java.time.Clock;

import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.web.authorize.LoginThrottle;
import dev.portcullis.web.authorize.UserLoginAuthenticationManager;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Security of the pages people see (the authorization flow's login and consent): a session with form login, CSRF
 * protection on every form, a fresh session id at login (no fixation), no framing (clickjacking), nothing loaded
 * from elsewhere. Checked before the bearer-token chain, which covers everything else.
 */
@Configuration(proxyBeanMethods = false)
public class BrowserSecurityConfiguration {

	static final String[] PAGES = { "/Api/authorize", "/login", "/logout", "/assets/**" };

	@Bean
	LoginThrottle loginThrottle(Clock clock) {
		return new LoginThrottle(clock);
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain browserSecurityWebFilterChain(ServerHttpSecurity http, UserAuthenticator users,
			LoginThrottle throttle) {
		// @formatter:off
		return http
				.securityMatcher(ServerWebExchangeMatchers.pathMatchers(PAGES))
				.authorizeExchange((exchange) -> exchange
						.pathMatchers("/login", "/assets/**").permitAll()
						.anyExchange().authenticated())
				.formLogin((login) -> login
						.loginPage("/login")
						// Spring Security saves the login with a new session id (no fixation), then returns to the
						// request that needed it: the authorization request with all its parameters
						.authenticationManager(new UserLoginAuthenticationManager(users, throttle)))
				.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
				.headers((headers) -> headers
						.frameOptions((frame) -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
						.contentSecurityPolicy((csp) -> csp.policyDirectives(
								"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")))
				.build();
		// @formatter:on
	}

}
