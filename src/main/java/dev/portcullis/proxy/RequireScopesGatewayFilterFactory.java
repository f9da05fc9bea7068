package dev.portcullis.proxy;

import java.util.ArrayList;
import java.util.List;

import dev.portcullis.oauth2.OAuth2Error;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.web.OAuth2ResponseWriter;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * A route filter that lets a request through only when its token carries every listed scope, e.g.
 * {@code RequireScopes=accounts.read,accounts.write}. Otherwise 403 with RFC 6750's {@code insufficient_scope}
 * challenge and the league-shaped body.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6750#section-3.1">RFC 6750 §3.1</a>
 */
public class RequireScopesGatewayFilterFactory
		extends AbstractGatewayFilterFactory<RequireScopesGatewayFilterFactory.Config> {

	private final OAuth2ResponseWriter writer;

	public RequireScopesGatewayFilterFactory(OAuth2ResponseWriter writer) {
		super(Config.class);
		this.writer = writer;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("scopes");
	}

	@Override
	public ShortcutType shortcutType() {
		return ShortcutType.GATHER_LIST;
	}

	@Override
	public GatewayFilter apply(Config config) {
		List<String> required = List.copyOf(config.getScopes());
		return new GatewayFilter() {

			@Override
			public Mono<Void> filter(ServerWebExchange exchange,
					org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
				// @formatter:off
				return exchange.getPrincipal()
						.filter(JwtAuthenticationToken.class::isInstance)
						.map((principal) -> grantedScopes((JwtAuthenticationToken) principal).containsAll(required))
						.defaultIfEmpty(false)
						.flatMap((allowed) -> allowed ? chain.filter(exchange) : refuse(exchange.getResponse(), required));
				// @formatter:on
			}

			@Override
			public String toString() {
				return "RequireScopes" + required;
			}

		};
	}

	private static List<String> grantedScopes(JwtAuthenticationToken token) {
		List<String> scopes = token.getToken().getClaimAsStringList("scopes");
		return (scopes != null) ? scopes : List.of();
	}

	private Mono<Void> refuse(ServerHttpResponse response, List<String> required) {
		String scopes = String.join(" ", required);
		OAuth2Error error = OAuth2Exception.insufficientScope(scopes).getError();
		response.getHeaders()
			.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"" + scopes + "\"");
		return this.writer.error(response, error);
	}

	/** The scopes a token must carry. */
	public static class Config {

		private List<String> scopes = new ArrayList<>();

		public List<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

		@Override
		public String toString() {
			return "Config[scopes=" + this.scopes + "]";
		}

	}

}
