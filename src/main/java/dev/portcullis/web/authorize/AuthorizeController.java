package dev.portcullis.web.authorize;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.portcullis.config.PortcullisProperties;
import dev.portcullis.oauth2.AuthorizationCode;
import dev.portcullis.oauth2.Consent;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.Pkce;
import dev.portcullis.oauth2.Scopes;
import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.grant.AuthorizationCodeGrantHandler;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.support.SecureIds;
import dev.portcullis.support.TokenHashing;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code GET /Api/authorize}: checks the client and its redirect URI (a bad one gets an error page, never a
 * redirect, so nobody can use the gateway as an open redirector), then the rest of the request (errors now go back
 * to the client as {@code error=…}), then asks the logged-in user for consent, or skips the page when the user
 * chose "Authorize" for the client before. {@code POST /Api/authorize} takes the decision: Decline, Authorize
 * Once, or Authorize (always, remembered until withdrawn).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.1">RFC 6749 §4.1.1</a>
 */
@Controller
public class AuthorizeController {

	public static final String PATH = "/Api/authorize";

	/** Where pending requests wait in the session, by id; bounded so a session cannot grow without end. */
	private static final String PENDING = "portcullis.pendingAuthorizations";

	private static final int MAX_PENDING = 10;

	private static final List<String> SINGLE_VALUED = List.of("response_type", "client_id", "redirect_uri", "scope",
			"state", "code_challenge", "code_challenge_method");

	private final ClientStore clients;

	private final ConsentStore consents;

	private final AuthorizationCodeStore codes;

	private final UserStore users;

	private final Duration codeTtl;

	private final Clock clock;

	public AuthorizeController(ClientStore clients, ConsentStore consents, AuthorizationCodeStore codes,
			UserStore users, PortcullisProperties properties, Clock clock) {
		this.clients = clients;
		this.consents = consents;
		this.codes = codes;
		this.users = users;
		this.codeTtl = properties.getTokens().getAuthorizationCodeTtl();
		this.clock = clock;
	}

	@GetMapping(PATH)
	public Mono<String> authorize(ServerWebExchange exchange, Authentication user, Model model) {
		MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
		for (String name : SINGLE_VALUED) {
			if (query.getOrDefault(name, List.of()).size() > 1) {
				return errorPage(exchange, model, "The parameter " + name + " was sent more than once.");
			}
		}
		String clientId = query.getFirst("client_id");
		if (clientId == null || clientId.isBlank()) {
			return errorPage(exchange, model, "The request names no client (client_id is missing).");
		}
		// @formatter:off
		return this.clients.findById(clientId)
				.filter((client) -> client.allows(GrantType.AUTHORIZATION_CODE))
				.flatMap((client) -> authorize(exchange, user, model, client, query))
				.switchIfEmpty(Mono.defer(() -> errorPage(exchange, model, "The client is unknown or may not use this sign-in flow.")));
		// @formatter:on
	}

	private Mono<String> authorize(ServerWebExchange exchange, Authentication user, Model model, RegisteredClient client,
			MultiValueMap<String, String> query) {
		String requestedRedirectUri = query.getFirst("redirect_uri");
		String redirectUri = redirectUri(client, requestedRedirectUri);
		if (redirectUri == null) {
			return errorPage(exchange, model,
					"The redirect URI is not registered for this client, so the answer cannot be sent back safely.");
		}
		String state = query.getFirst("state");
		// from here on the redirect URI is trusted: errors go back to the client, as league does
		if (!"code".equals(query.getFirst("response_type"))) {
			return redirectError(redirectUri, state, OAuth2Exception.unsupportedResponseType());
		}
		Set<String> scopes = Scopes.parse(query.getFirst("scope"));
		String notAllowed = scopes.stream().filter((scope) -> !client.scopes().contains(scope)).findFirst().orElse(null);
		if (notAllowed != null) {
			return redirectError(redirectUri, state, OAuth2Exception.invalidScope(notAllowed));
		}
		String challenge = query.getFirst("code_challenge");
		String method = query.getFirst("code_challenge_method");
		String pkceProblem = pkceProblem(client, challenge, method);
		if (pkceProblem != null) {
			return redirectError(redirectUri, state, OAuth2Exception.invalidRequestWithHint(pkceProblem));
		}
		String effectiveMethod = (challenge != null) ? ((method != null) ? method : Pkce.PLAIN) : null;
		AuthorizationRequest request = new AuthorizationRequest(SecureIds.randomHex(16), client.id(), client.name(),
				redirectUri, requestedRedirectUri, scopes, state, challenge, effectiveMethod);
		// @formatter:off
		return mayHold(scopes, user.getName())
				.flatMap((allowed) -> !allowed
						? redirectError(redirectUri, state, OAuth2Exception.invalidScope(Scopes.ADMIN))
						: this.consents.find(client.id(), user.getName())
								.filter((consent) -> consent.scopes().containsAll(scopes))
								.flatMap((consent) -> issueCode(request, user.getName()))
								.switchIfEmpty(Mono.defer(() -> askForConsent(exchange, model, request))));
		// @formatter:on
	}

	/** Whether the signed-in user may be given these scopes: {@code admin} only to an active administrator. */
	private Mono<Boolean> mayHold(Set<String> scopes, String userId) {
		if (!scopes.contains(Scopes.ADMIN)) {
			return Mono.just(true);
		}
		return this.users.findById(userId).map((user) -> user.active() && user.admin()).defaultIfEmpty(false);
	}

	@PostMapping(PATH)
	public Mono<String> decide(ServerWebExchange exchange, Authentication user, Model model) {
		// @formatter:off
		return exchange.getFormData().zipWith(exchange.getSession()).flatMap((formAndSession) -> {
			String requestId = formAndSession.getT1().getFirst("request_id");
			String decision = formAndSession.getT1().getFirst("decision");
			AuthorizationRequest request = takePending(formAndSession.getT2(), requestId);
			if (request == null || decision == null) {
				return errorPage(exchange, model, "This authorization request has expired or was already answered. Start again from the application.");
			}
			return switch (decision) {
				case "decline" -> redirectError(request.redirectUri(), request.state(),
						OAuth2Exception.accessDenied("The user denied the request"));
				case "once" -> issueCode(request, user.getName());
				case "always" -> this.consents.save(new Consent(request.clientId(), user.getName(), request.scopes(), this.clock.instant()))
						.then(issueCode(request, user.getName()));
				default -> errorPage(exchange, model, "Unknown decision.");
			};
		});
		// @formatter:on
	}

	private Mono<String> askForConsent(ServerWebExchange exchange, Model model, AuthorizationRequest request) {
		return exchange.getSession().map((session) -> {
			Map<String, AuthorizationRequest> pending = pending(session);
			if (pending.size() >= MAX_PENDING) {
				pending.clear();
			}
			pending.put(request.id(), request);
			session.getAttributes().put(PENDING, pending);
			model.addAttribute("request", request);
			model.addAttribute("redirectHost", hostOf(request.redirectUri()));
			return "consent";
		});
	}

	private Mono<String> issueCode(AuthorizationRequest request, String userId) {
		String code = SecureIds.randomHex(AuthorizationCodeGrantHandler.CODE_LENGTH / 2);
		AuthorizationCode authorizationCode = new AuthorizationCode(request.clientId(), userId,
				request.requestedRedirectUri(), request.scopes(), request.codeChallenge(), request.codeChallengeMethod(),
				this.clock.instant(), this.clock.instant().plus(this.codeTtl));
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("code", code);
		if (request.state() != null) {
			parameters.put("state", request.state());
		}
		return this.codes.issue(TokenHashing.sha256Hex(code), authorizationCode)
			.thenReturn("redirect:" + withQuery(request.redirectUri(), parameters));
	}

	/** league's error redirect: {@code state} first, then the error's payload as the JSON bodies carry it. */
	private static Mono<String> redirectError(String redirectUri, @Nullable String state, OAuth2Exception exception) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (state != null) {
			parameters.put("state", state);
		}
		parameters.putAll(exception.getError().payload());
		return Mono.just("redirect:" + withQuery(redirectUri, parameters));
	}

	private static Mono<String> errorPage(ServerWebExchange exchange, Model model, String message) {
		exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
		model.addAttribute("message", message);
		return Mono.just("authorize-error");
	}

	/** The registered URI the request names exactly, or the client's only one when it names none. */
	private static @Nullable String redirectUri(RegisteredClient client, @Nullable String requested) {
		if (requested == null) {
			return (client.redirectUris().size() == 1) ? client.redirectUris().get(0) : null;
		}
		return client.redirectUris().contains(requested) ? requested : null;
	}

	/** league's PKCE checks of the authorization request; public clients must use it. */
	private static @Nullable String pkceProblem(RegisteredClient client, @Nullable String challenge,
			@Nullable String method) {
		if (challenge == null) {
			return client.confidential() ? null : "Code challenge must be provided for public clients";
		}
		if (method != null && !Pkce.isSupportedMethod(method)) {
			return "Code challenge method must be one of `plain`, `S256`";
		}
		if (!Pkce.isWellFormed(challenge)) {
			return "Code challenge must follow the specifications of RFC-7636.";
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, AuthorizationRequest> pending(WebSession session) {
		Object pending = session.getAttributes().get(PENDING);
		return (pending instanceof Map<?, ?> map) ? (Map<String, AuthorizationRequest>) map : new HashMap<>();
	}

	private static @Nullable AuthorizationRequest takePending(WebSession session, @Nullable String id) {
		if (id == null) {
			return null;
		}
		Map<String, AuthorizationRequest> pending = pending(session);
		AuthorizationRequest request = pending.remove(id);
		session.getAttributes().put(PENDING, pending);
		return request;
	}

	/**
	 * {@code uri} with the parameters added to its query. RFC 6749 §4.1.2: "adding the following parameters to the
	 * query component of the redirection URI using the "application/x-www-form-urlencoded" format". Every character
	 * a form decoder would change is escaped ({@code +} above all: base64 states are common), and a space is written
	 * {@code %20}, which form decoders and plain percent-decoders both read as a space.
	 */
	private static String withQuery(String uri, Map<String, String> parameters) {
		UriComponentsBuilder builder = UriComponentsBuilder.fromUriString(uri);
		parameters.forEach((name, value) -> builder.queryParam(name,
				URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
		return builder.build(true).toUriString();
	}

	private static String hostOf(String uri) {
		try {
			String host = URI.create(uri).getHost();
			return (host != null) ? host : uri;
		}
		catch (IllegalArgumentException ex) {
			return uri;
		}
	}

}
