package dev.portcullis.web.authorize;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The login page; Spring Security's form login processes {@code POST /login}.
 */
@Controller
public class LoginController {

	static final String PATH = "/login";

	@GetMapping(PATH)
	public String login() {
		return "login";
	}

}
