package dev.portcullis.config;

import java.time.Clock;
import java.util.List;

import dev.portcullis.oauth2.client.ClientAuthenticator;
import dev.portcullis.oauth2.client.VerifiedSecretCache;
import dev.portcullis.oauth2.grant.AuthorizationCodeGrantHandler;
import dev.portcullis.oauth2.grant.ClientCredentialsGrantHandler;
import dev.portcullis.oauth2.grant.GrantHandler;
import dev.portcullis.oauth2.grant.GrantRecheck;
import dev.portcullis.oauth2.grant.PasswordGrantHandler;
import dev.portcullis.oauth2.grant.RefreshTokenGrantHandler;
import dev.portcullis.oauth2.grant.TokenIssuer;
import dev.portcullis.oauth2.guard.GuessingGuard;
import dev.portcullis.oauth2.guard.GuessingLimits;
import dev.portcullis.oauth2.introspection.TokenIntrospection;
import dev.portcullis.oauth2.revocation.TokenRevocation;
import dev.portcullis.oauth2.store.AttemptStore;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.token.JwtAccessTokenGenerator;
import dev.portcullis.oauth2.token.CurrentSigningKeys;
import dev.portcullis.oauth2.user.UserAuthenticator;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.web.AuthorizationServerMetadataHandler;
import dev.portcullis.proxy.JwtDecoderAccessTokenVerifier;
import dev.portcullis.proxy.RevocationCheckingJwtDecoder;
import dev.portcullis.web.ClientAddressResolver;
import dev.portcullis.web.IntrospectionEndpointHandler;
import dev.portcullis.web.OAuth2ResponseWriter;
import dev.portcullis.web.RevocationEndpointHandler;
import dev.portcullis.web.TokenEndpointHandler;
import dev.portcullis.web.TokenEndpointObserver;
import dev.portcullis.web.TokenRequestConverter;
import dev.portcullis.web.authorize.AuthorizeController;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RequestPredicates.path;

/**
 * The token endpoint, its grants, the revocation and introspection endpoints and the JWK Set endpoint.
 */
@Configuration(proxyBeanMethods = false)
public class OAuth2EndpointConfiguration {

	/**
	 * SuiteCRM's path, and the long form that reaches the same endpoint when rewrites are missing (Slim's base path
	 * is {@code /Api}, so {@code /Api/index.php/access_token} works there too).
	 */
	static final String[] TOKEN_PATHS = { "/Api/access_token", "/Api/index.php/access_token" };

	static final String JWKS_PATH = "/.well-known/jwks.json";

	/** RFC 7009's endpoint, at Spring Authorization Server's default path. */
	static final String REVOCATION_PATH = "/oauth2/revoke";

	/** RFC 7662's endpoint, at Spring Authorization Server's default path. */
	static final String INTROSPECTION_PATH = "/oauth2/introspect";

	static final String METADATA_PATH = "/.well-known/oauth-authorization-server";

	private static final int HASHING_THREADS = Runtime.getRuntime().availableProcessors();

	/**
	 * BCrypt and Argon2id are CPU work of tens of milliseconds: they run on their own threads, one per core, never the
	 * event loop. {@link HashingPool} bounds what waits for them; the threads bound the Argon2id memory in use, 7 MiB
	 * per thread.
	 */
	@Bean(destroyMethod = "dispose")
	Scheduler passwordHashingScheduler() {
		return Schedulers.newBoundedElastic(HASHING_THREADS, 1_000, "password-hash");
	}

	/** Client secrets' hasher, bcrypt; the one a {@code PasswordHasher} is unless it is asked for users'. */
	@Bean
	@Primary
	PasswordHasher passwordHasher(PortcullisProperties properties) {
		return new PasswordHasher(properties.getSecrets().getBcryptStrength());
	}

	/** User passwords' hasher: {@code portcullis.secrets.user-password-hash}. */
	@Bean
	PasswordHasher userPasswordHasher(PortcullisProperties properties) {
		return new PasswordHasher(properties.getSecrets().getBcryptStrength(),
				properties.getSecrets().getUserPasswordHash());
	}

	/**
	 * Seeded with one measured check of each hasher's scheme, so that the first unknown client or user waits as long as
	 * a real check would. Meters:
	 * {@code portcullis.password.checks.pending} (waiting or running), {@code portcullis.password.checks.rejected} and
	 * {@code portcullis.password.checks.computed} (hashes spent).
	 */
	@Bean
	HashingPool hashingPool(Scheduler passwordHashingScheduler, PasswordHasher hasher,
			@Qualifier("userPasswordHasher") PasswordHasher userPasswordHasher, PortcullisProperties properties,
			MeterRegistry meters) {
		HashingPool pool = new HashingPool(passwordHashingScheduler, HASHING_THREADS,
				properties.getSecrets().getMaxWaitingChecks());
		pool.seed(hasher.scheme(), hasher.measure());
		pool.seed(userPasswordHasher.scheme(), userPasswordHasher.measure());
		Gauge.builder("portcullis.password.checks.pending", pool, HashingPool::pending).register(meters);
		FunctionCounter.builder("portcullis.password.checks.rejected", pool, HashingPool::rejected).register(meters);
		FunctionCounter.builder("portcullis.password.checks.computed", pool, HashingPool::computed).register(meters);
		return pool;
	}

	@Bean
	ClientAddressResolver clientAddressResolver(PortcullisProperties properties) {
		return new ClientAddressResolver(properties.getTrustedProxies());
	}

	@Bean
	GuessingGuard guessingGuard(AttemptStore attempts, PortcullisProperties properties, Clock clock) {
		PortcullisProperties.Guessing guessing = properties.getGuessing();
		return new GuessingGuard(attempts, new GuessingLimits(guessing.getAttemptsPerIdentityAndAddress(),
				guessing.getFailuresPerAddress(), guessing.getFailuresPerIdentityBeforeDelay(),
				guessing.getLongestIdentityDelay(), guessing.getLongestBlock(), guessing.getWindow()), clock);
	}

	@Bean
	ClientAuthenticator clientAuthenticator(ClientStore clients, PasswordHasher hasher, PortcullisProperties properties,
			HashingPool hashingPool, GuessingGuard guard, Clock clock) {
		VerifiedSecretCache cache = new VerifiedSecretCache(properties.getSecrets().getVerifiedSecretCacheTtl(), clock);
		return new ClientAuthenticator(clients, hasher, cache, hashingPool, guard);
	}

	@Bean
	UserAuthenticator userAuthenticator(UserStore users, @Qualifier("userPasswordHasher") PasswordHasher hasher,
			HashingPool hashingPool, GuessingGuard guard) {
		return new UserAuthenticator(users, hasher, hashingPool, guard);
	}

	/** Fails the start, naming the setting, when {@code portcullis.issuer-uri} cannot be an issuer. */
	@Bean
	Issuers issuers(PortcullisProperties properties) {
		return Issuers.of(properties);
	}

	@Bean
	JwtAccessTokenGenerator accessTokenGenerator(CurrentSigningKeys keys, Issuers issuers) {
		return new JwtAccessTokenGenerator(keys, issuers.ofNewTokens());
	}

	@Bean
	TokenIssuer tokenIssuer(JwtAccessTokenGenerator generator, AuthorizationStore authorizations, ClientStore clients,
			UserStore users, PortcullisProperties properties, Clock clock) {
		return new TokenIssuer(generator, authorizations, properties.getTokens().getAccessTokenTtl(),
				properties.getTokens().getRefreshTokenTtl(), clock, Schedulers.parallel(),
				properties.getTokens().getMaxGrantsPerClientAndSubject(), GrantRecheck.fromStores(clients, users));
	}

	@Bean
	ClientCredentialsGrantHandler clientCredentialsGrantHandler(TokenIssuer issuer, UserStore users) {
		return new ClientCredentialsGrantHandler(issuer, users);
	}

	@Bean
	PasswordGrantHandler passwordGrantHandler(TokenIssuer issuer, UserAuthenticator userAuthenticator) {
		return new PasswordGrantHandler(issuer, userAuthenticator);
	}

	@Bean
	RefreshTokenGrantHandler refreshTokenGrantHandler(TokenIssuer issuer, AuthorizationStore authorizations,
			UserStore users, PortcullisProperties properties, Clock clock) {
		return new RefreshTokenGrantHandler(issuer, authorizations, users,
				properties.getTokens().getRefreshTokenReuseGracePeriod(), clock);
	}

	@Bean
	AuthorizationCodeGrantHandler authorizationCodeGrantHandler(TokenIssuer issuer, AuthorizationCodeStore codes,
			AuthorizationStore authorizations, UserStore users, Clock clock) {
		return new AuthorizationCodeGrantHandler(issuer, codes, authorizations, users, clock);
	}

	@Bean
	OAuth2ResponseWriter oauth2ResponseWriter(JsonMapper jsonMapper) {
		return new OAuth2ResponseWriter(jsonMapper);
	}

	@Bean
	TokenEndpointHandler tokenEndpointHandler(ClientAuthenticator clientAuthenticator, List<GrantHandler> grantHandlers,
			OAuth2ResponseWriter writer, PortcullisProperties properties, MeterRegistry meters,
			ClientAddressResolver addresses) {
		TokenRequestConverter converter = new TokenRequestConverter(
				properties.getTokenEndpoint().getMaxBodySize().toBytes());
		return new TokenEndpointHandler(converter, clientAuthenticator, grantHandlers, writer,
				new TokenEndpointObserver(meters), addresses);
	}

	@Bean
	RevocationEndpointHandler revocationEndpointHandler(ClientAuthenticator clientAuthenticator,
			AuthorizationStore authorizations, CurrentSigningKeys keys,
			OAuth2ResponseWriter writer, PortcullisProperties properties, ClientAddressResolver addresses, Clock clock) {
		return new RevocationEndpointHandler(properties.getTokenEndpoint().getMaxBodySize().toBytes(),
				clientAuthenticator, new TokenRevocation(authorizations, keys, clock), writer, addresses);
	}

	/**
	 * Access tokens are checked by the proxy's own decoder, so that introspection answers "active" exactly when the
	 * proxy would let the token through, with the same keys, issuers, clock skew and revocation check.
	 */
	@Bean
	IntrospectionEndpointHandler introspectionEndpointHandler(ClientAuthenticator clientAuthenticator,
			RevocationCheckingJwtDecoder jwtDecoder, AuthorizationStore authorizations, UserStore users,
			OAuth2ResponseWriter writer, PortcullisProperties properties, ClientAddressResolver addresses, Clock clock) {
		TokenIntrospection introspection = new TokenIntrospection(new JwtDecoderAccessTokenVerifier(jwtDecoder),
				authorizations, users, clock);
		return new IntrospectionEndpointHandler(properties.getTokenEndpoint().getMaxBodySize().toBytes(),
				clientAuthenticator, introspection, writer, addresses);
	}

	@Bean
	RouterFunction<ServerResponse> oauth2Routes(TokenEndpointHandler tokenEndpoint,
			RevocationEndpointHandler revocationEndpoint, IntrospectionEndpointHandler introspectionEndpoint,
			CurrentSigningKeys keys, Issuers issuers, PortcullisProperties properties) {
		// what caches may keep: a next key is published at least this long (plus clients' own caching) before it signs
		String jwksCacheControl = "public, max-age=" + properties.getSigning().getJwksMaxAge().toSeconds();
		AuthorizationServerMetadataHandler metadata = new AuthorizationServerMetadataHandler(issuers.uri(),
				new AuthorizationServerMetadataHandler.Paths(AuthorizeController.PATH, TOKEN_PATHS[0], REVOCATION_PATH,
						INTROSPECTION_PATH, JWKS_PATH));
		// @formatter:off
		return RouterFunctions.route(POST(TOKEN_PATHS[0]).or(POST(TOKEN_PATHS[1])), tokenEndpoint::handle)
				.andRoute(POST(REVOCATION_PATH), revocationEndpoint::handle)
				.andRoute(POST(INTROSPECTION_PATH), introspectionEndpoint::handle)
				// Slim answers other methods on the token path with 405 and the allowed one
				.andRoute(path(TOKEN_PATHS[0]).or(path(TOKEN_PATHS[1])).or(path(REVOCATION_PATH)).or(path(INTROSPECTION_PATH)), (request) -> ServerResponse
						.status(HttpStatus.METHOD_NOT_ALLOWED)
						.allow(HttpMethod.POST)
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue("{\"message\":\"Method not allowed. Must be one of: POST\"}"))
				.andRoute(GET(METADATA_PATH), metadata::handle)
				.andRoute(GET(JWKS_PATH), (request) -> ServerResponse.ok()
						.contentType(MediaType.APPLICATION_JSON)
						.header("Cache-Control", jwksCacheControl)
						.bodyValue(keys.current().publicJwkSet()));
		// @formatter:on
	}

}
