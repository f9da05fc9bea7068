package dev.portcullis.web.authorize;

import dev.portcullis.web.admin.pages.AdminPageSupport;
import reactor.core.publisher.Mono;

import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;

/**
 * Puts the request's CSRF token into every page's model as {@code _csrf}, so each form can carry it. (In WebFlux
 * the token is lazy: subscribing here is what creates it.)
 */
@ControllerAdvice(assignableTypes = { LoginController.class, AuthorizeController.class },
		basePackageClasses = AdminPageSupport.class)
public class CsrfTokenModelAdvice {

	@ModelAttribute("_csrf")
	Mono<CsrfToken> csrfToken(ServerWebExchange exchange) {
		Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
		return (token != null) ? token : Mono.empty();
	}

}
