package dev.portcullis.web.authorize;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;

/**
 * The login page; Spring Security's form login processes {@code POST /login}.
 */
@Controller
public class LoginController {

	static final String PATH = "/login";

	/**
	 * The page, with the failure, wait or signed-out notice when the query asks for it ({@code ?error},
	 * {@code ?wait=<seconds>}, {@code ?logout}).
	 * Decided here rather than with {@code ${param.error}} in the template: Thymeleaf on WebFlux answers an absent
	 * parameter with an empty, non-null value, so {@code th:if="${param.error}"} is always true.
	 */
	@GetMapping(PATH)
	public String login(ServerWebExchange exchange, Model model) {
		MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
		model.addAttribute("loginFailed", query.containsKey("error"));
		// the guessing limits refused the attempt without checking it: how long to wait (a number, or nothing shown)
		String wait = query.getFirst("wait");
		model.addAttribute("waitSeconds", (wait != null && wait.matches("\\d{1,3}")) ? wait : null);
		model.addAttribute("signedOut", query.containsKey("logout"));
		return "login";
	}

}
