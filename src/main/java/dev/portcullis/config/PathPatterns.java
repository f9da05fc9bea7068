package dev.portcullis.config;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Matches a request whose path (and method, if given) fits any of a few patterns, as Spring Security's
 * {@code ServerWebExchangeMatchers.pathMatchers} does, but in one synchronous check: those go through a reactive
 * {@code OrServerWebExchangeMatcher} that also formats a debug message per pattern per request whatever the log
 * level, a few percent of every proxied request, which passes every security chain's matcher.
 */
final class PathPatterns implements ServerWebExchangeMatcher {

	private final @Nullable HttpMethod method;

	private final List<PathPattern> patterns;

	private PathPatterns(@Nullable HttpMethod method, String... patterns) {
		this.method = method;
		this.patterns = Arrays.stream(patterns).map(PathPatternParser.defaultInstance::parse).toList();
	}

	static PathPatterns anyOf(String... patterns) {
		return new PathPatterns(null, patterns);
	}

	static PathPatterns anyOf(HttpMethod method, String... patterns) {
		return new PathPatterns(method, patterns);
	}

	boolean test(ServerWebExchange exchange) {
		return test(exchange.getRequest());
	}

	boolean test(ServerHttpRequest request) {
		if (this.method != null && !this.method.equals(request.getMethod())) {
			return false;
		}
		PathContainer path = request.getPath().pathWithinApplication();
		for (PathPattern pattern : this.patterns) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public Mono<MatchResult> matches(ServerWebExchange exchange) {
		return test(exchange) ? MatchResult.match() : MatchResult.notMatch();
	}

}
