package dev.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.portcullis.proxy.upstream.UpstreamCredential;
import dev.portcullis.support.PasswordHasher;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of Portcullis, under the prefix {@value #PREFIX}.
 */
@ConfigurationProperties(PortcullisProperties.PREFIX)
@Validated
public class PortcullisProperties {

	public static final String PREFIX = "portcullis";

	/**
	 * Where clients, users, tokens and revocations are kept: "redis" or "memory". When unset, Redis if any
	 * spring.data.redis connection setting is there (url, host, port, username, password, database, sentinel or
	 * cluster nodes), else memory (lost on restart).
	 */
	private @Nullable StoreType store;

	/**
	 * Confirms "memory" for the store although Redis connection settings are there too; without it that
	 * combination stops the start, since each replica would keep tokens and revocations of its own.
	 */
	private boolean memoryStoreDespiteRedisSettings;

	/**
	 * Whether clients may register plain http redirect URIs on hosts other than loopback ones (127.0.0.0/8, ::1,
	 * localhost), for example on a closed test network. Codes sent over plain http can be read on the way.
	 */
	private boolean allowHttpRedirectUris;

	/**
	 * The "iss" claim of issued access tokens while {@link #issuerUri} is not set; once it is, tokens that carry this
	 * value are still accepted by the proxy, so the ones issued before the change keep working until they expire.
	 */
	@NotBlank
	private String issuer = "portcullis";

	/**
	 * The gateway's public URL as its clients reach it (for example {@code https://crm-gateway.example.com}, behind an
	 * ingress): the issuer of the authorization server metadata (RFC 8414), the base of the endpoints it lists, and
	 * the "iss" of new tokens (RFC 9068). Unset, the metadata names the URL each request came to.
	 */
	private @Nullable URI issuerUri;

	/**
	 * Further "iss" values the proxy accepts, for changing {@link #issuerUri} on many replicas without refusing a token
	 * on the way: first accept the new value everywhere, then issue it.
	 */
	private List<String> acceptedIssuers = new ArrayList<>();

	@Valid
	private final Tokens tokens = new Tokens();

	@Valid
	private final Signing signing = new Signing();

	@Valid
	private final Secrets secrets = new Secrets();

	@Valid
	private final TokenEndpoint tokenEndpoint = new TokenEndpoint();

	@Valid
	private final Redis redis = new Redis();

	@Valid
	private final Bootstrap bootstrap = new Bootstrap();

	@Valid
	private final Upstream upstream = new Upstream();

	@Valid
	private final Proxy proxy = new Proxy();

	/**
	 * The proxies in front of the gateway (an ingress, a load balancer), as IP addresses or CIDR ranges, e.g.
	 * 10.0.0.0/8. Only when the TCP peer is one of them is the client's address taken from X-Forwarded-For (the
	 * rightmost address that is not a trusted proxy); otherwise it is the peer. The guessing limits count per client
	 * address, so behind an ingress this must name it, or every client shares the ingress's address.
	 */
	private List<String> trustedProxies = new ArrayList<>();

	@Valid
	private final Guessing guessing = new Guessing();

	@Valid
	private final Server server = new Server();

	public @Nullable StoreType getStore() {
		return this.store;
	}

	public void setStore(@Nullable StoreType store) {
		this.store = store;
	}

	public boolean isAllowHttpRedirectUris() {
		return this.allowHttpRedirectUris;
	}

	public void setAllowHttpRedirectUris(boolean allowHttpRedirectUris) {
		this.allowHttpRedirectUris = allowHttpRedirectUris;
	}

	public boolean isMemoryStoreDespiteRedisSettings() {
		return this.memoryStoreDespiteRedisSettings;
	}

	public void setMemoryStoreDespiteRedisSettings(boolean memoryStoreDespiteRedisSettings) {
		this.memoryStoreDespiteRedisSettings = memoryStoreDespiteRedisSettings;
	}

	public String getIssuer() {
		return this.issuer;
	}

	public void setIssuer(String issuer) {
		this.issuer = issuer;
	}

	public @Nullable URI getIssuerUri() {
		return this.issuerUri;
	}

	public void setIssuerUri(@Nullable URI issuerUri) {
		this.issuerUri = issuerUri;
	}

	public List<String> getAcceptedIssuers() {
		return this.acceptedIssuers;
	}

	public void setAcceptedIssuers(List<String> acceptedIssuers) {
		this.acceptedIssuers = acceptedIssuers;
	}

	public Tokens getTokens() {
		return this.tokens;
	}

	public Signing getSigning() {
		return this.signing;
	}

	public Secrets getSecrets() {
		return this.secrets;
	}

	public TokenEndpoint getTokenEndpoint() {
		return this.tokenEndpoint;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Bootstrap getBootstrap() {
		return this.bootstrap;
	}

	public Upstream getUpstream() {
		return this.upstream;
	}

	public Proxy getProxy() {
		return this.proxy;
	}

	public List<String> getTrustedProxies() {
		return this.trustedProxies;
	}

	public void setTrustedProxies(List<String> trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	public Guessing getGuessing() {
		return this.guessing;
	}

	public Server getServer() {
		return this.server;
	}

	/**
	 * Limits on guessing client secrets (token endpoint) and passwords (password grant, login page, admin Basic),
	 * counted in the store so that every replica sees every attempt.
	 */
	public static class Guessing {

		/**
		 * Attempts without a success for one client id or username from one address before each further attempt
		 * blocks the pair for 1 s, 2 s, 4 s … (answered 429 with Retry-After, without checking anything).
		 */
		@Min(1)
		private int attemptsPerIdentityAndAddress = 5;

		/** Failed attempts from one address, whatever the client id or username, before it is blocked the same way. */
		@Min(1)
		private int failuresPerAddress = 50;

		/**
		 * Failed attempts for one client id or username, from any address, before each attempt for it is delayed;
		 * never refused (client ids are public, so a lockout would be a denial of service).
		 */
		@Min(1)
		private int failuresPerIdentityBeforeDelay = 10;

		/** The cap of that delay, which doubles from 100 ms. */
		@NotNull
		private Duration longestIdentityDelay = Duration.ofSeconds(2);

		/** The cap of the doubling blocks. */
		@NotNull
		private Duration longestBlock = Duration.ofSeconds(30);

		/** How long attempts are remembered after the last one. */
		@NotNull
		private Duration window = Duration.ofMinutes(15);

		public int getAttemptsPerIdentityAndAddress() {
			return this.attemptsPerIdentityAndAddress;
		}

		public void setAttemptsPerIdentityAndAddress(int attemptsPerIdentityAndAddress) {
			this.attemptsPerIdentityAndAddress = attemptsPerIdentityAndAddress;
		}

		public int getFailuresPerAddress() {
			return this.failuresPerAddress;
		}

		public void setFailuresPerAddress(int failuresPerAddress) {
			this.failuresPerAddress = failuresPerAddress;
		}

		public int getFailuresPerIdentityBeforeDelay() {
			return this.failuresPerIdentityBeforeDelay;
		}

		public void setFailuresPerIdentityBeforeDelay(int failuresPerIdentityBeforeDelay) {
			this.failuresPerIdentityBeforeDelay = failuresPerIdentityBeforeDelay;
		}

		public Duration getLongestIdentityDelay() {
			return this.longestIdentityDelay;
		}

		public void setLongestIdentityDelay(Duration longestIdentityDelay) {
			this.longestIdentityDelay = longestIdentityDelay;
		}

		public Duration getLongestBlock() {
			return this.longestBlock;
		}

		public void setLongestBlock(Duration longestBlock) {
			this.longestBlock = longestBlock;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

	/** The CRM backend of the default route. */
	public static class Upstream {

		/**
		 * Where the default route sends /Api/V8/** (e.g. http://suitecrm.internal). Unset: no default route, only
		 * the routes declared under spring.cloud.gateway.server.webflux.routes.
		 */
		private @Nullable URI uri;

		/**
		 * Backend credentials held by the gateway, by name: the gateway obtains tokens with them from the backend's
		 * own token endpoint (client_credentials) and sends them in place of the caller's token on routes with the
		 * filter UpstreamClientCredentials=<name>.
		 */
		@Valid
		private Map<String, Credential> credentials = new LinkedHashMap<>();

		/**
		 * Whether tokens of the password and authorization_code grants may use a backend credential too: each such
		 * user then reaches the backend as the credential's client (SuiteCRM: its one associated user, with that
		 * user's permissions). Off: such callers get 403 on those routes.
		 */
		private boolean credentialsForUserTokens;

		/** Longest wait for a backend's token endpoint; past it the caller gets 502. */
		@NotNull
		private Duration tokenRequestTimeout = Duration.ofSeconds(10);

		public @Nullable URI getUri() {
			return this.uri;
		}

		public void setUri(@Nullable URI uri) {
			this.uri = uri;
		}

		public Map<String, Credential> getCredentials() {
			return this.credentials;
		}

		public void setCredentials(Map<String, Credential> credentials) {
			this.credentials = credentials;
		}

		public boolean isCredentialsForUserTokens() {
			return this.credentialsForUserTokens;
		}

		public void setCredentialsForUserTokens(boolean credentialsForUserTokens) {
			this.credentialsForUserTokens = credentialsForUserTokens;
		}

		public Duration getTokenRequestTimeout() {
			return this.tokenRequestTimeout;
		}

		public void setTokenRequestTimeout(Duration tokenRequestTimeout) {
			this.tokenRequestTimeout = tokenRequestTimeout;
		}

	}

	/** How the gateway obtains tokens from a backend's own token endpoint (client_credentials). */
	public static class Credential {

		/** The backend's token endpoint, e.g. https://crm.internal/Api/access_token. */
		@NotNull
		private @Nullable URI tokenUri;

		/** The gateway's client id at the backend. */
		@NotBlank
		private @Nullable String clientId;

		/** The gateway's client secret at the backend. */
		@NotBlank
		private @Nullable String clientSecret;

		/** The scope asked for; unset sends none (SuiteCRM: an empty one). */
		private @Nullable String scope;

		/**
		 * "suitecrm": SuiteCRM's JSON body (application/vnd.api+json with client_id and client_secret in it); "form":
		 * RFC 6749's form body with HTTP Basic client authentication.
		 */
		@NotNull
		private UpstreamCredential.BodyFormat bodyFormat = UpstreamCredential.BodyFormat.SUITECRM;

		public @Nullable URI getTokenUri() {
			return this.tokenUri;
		}

		public void setTokenUri(@Nullable URI tokenUri) {
			this.tokenUri = tokenUri;
		}

		public @Nullable String getClientId() {
			return this.clientId;
		}

		public void setClientId(@Nullable String clientId) {
			this.clientId = clientId;
		}

		public @Nullable String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(@Nullable String clientSecret) {
			this.clientSecret = clientSecret;
		}

		public @Nullable String getScope() {
			return this.scope;
		}

		public void setScope(@Nullable String scope) {
			this.scope = scope;
		}

		public UpstreamCredential.BodyFormat getBodyFormat() {
			return this.bodyFormat;
		}

		public void setBodyFormat(UpstreamCredential.BodyFormat bodyFormat) {
			this.bodyFormat = bodyFormat;
		}

	}

	/** The bearer-token check on proxied requests and what the backend is told. */
	public static class Proxy {

		/** Tolerated clock difference when checking exp and nbf of access tokens. */
		@NotNull
		private Duration clockSkew = Duration.ofSeconds(30);

		/**
		 * How long a replica may trust Redis's "not revoked" for a token instead of asking again on every request
		 * (Redis mode). Revocation announcements end it at once; this bounds how long a revocation could go unseen
		 * if its announcement were lost. 0 asks Redis on every request.
		 */
		@NotNull
		private Duration notRevokedTtl = Duration.ofSeconds(1);

		@Valid
		private final IdentityHeaders identityHeaders = new IdentityHeaders();

		/**
		 * The backend credential (a name under portcullis.upstream.credentials) the default crm-api-v8 route sends its
		 * requests with, in place of the caller's token. Unset: the caller's token is forwarded.
		 */
		private @Nullable String upstreamCredentials;

		public @Nullable String getUpstreamCredentials() {
			return this.upstreamCredentials;
		}

		public void setUpstreamCredentials(@Nullable String upstreamCredentials) {
			this.upstreamCredentials = upstreamCredentials;
		}

		public Duration getClockSkew() {
			return this.clockSkew;
		}

		public void setClockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
		}

		public Duration getNotRevokedTtl() {
			return this.notRevokedTtl;
		}

		public void setNotRevokedTtl(Duration notRevokedTtl) {
			this.notRevokedTtl = notRevokedTtl;
		}

		public IdentityHeaders getIdentityHeaders() {
			return this.identityHeaders;
		}

	}

	/**
	 * Limits on the connections clients open to the gateway, against clients that hold connections without sending
	 * requests. The idle timeout between requests is Spring Boot's server.netty.idle-timeout (60s in
	 * application.yml).
	 */
	public static class Server {

		/**
		 * Longest time a client may take to send a request head (request line and headers): from the connection's
		 * accept, and on a keep-alive connection from the first byte of the next request. Then 408 and the
		 * connection is closed. Request bodies are not limited by it.
		 */
		@NotNull
		@DurationMin(millis = 1)
		private Duration headerReadTimeout = Duration.ofSeconds(10);

		/** Most connections open at once; connections accepted beyond it are closed at once. */
		@Min(1)
		private int maxConnections = 10000;

		/**
		 * Longest time a body the gateway reads itself (token endpoint, login and consent forms, admin API and pages)
		 * may take to arrive in full; then 408 and the connection is closed. Bodies forwarded to a backend are not
		 * limited by it.
		 */
		@NotNull
		@DurationMin(millis = 1)
		private Duration bodyReadTimeout = Duration.ofSeconds(10);

		public Duration getBodyReadTimeout() {
			return this.bodyReadTimeout;
		}

		public void setBodyReadTimeout(Duration bodyReadTimeout) {
			this.bodyReadTimeout = bodyReadTimeout;
		}

		public Duration getHeaderReadTimeout() {
			return this.headerReadTimeout;
		}

		public void setHeaderReadTimeout(Duration headerReadTimeout) {
			this.headerReadTimeout = headerReadTimeout;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

	}

	/**
	 * Request headers that tell the backend who is calling. Whatever the client sent under these names is removed
	 * before the gateway sets them, so they cannot be spoofed.
	 */
	public static class IdentityHeaders {

		/** The token's subject: the user id, or the client id for a client acting as itself. */
		@NotBlank
		private String subject = "X-Auth-Subject";

		/** The client the token was issued to. */
		@NotBlank
		private String clientId = "X-Auth-Client-Id";

		/** The token's scopes, space-separated. */
		@NotBlank
		private String scopes = "X-Auth-Scopes";

		public String getSubject() {
			return this.subject;
		}

		public void setSubject(String subject) {
			this.subject = subject;
		}

		public String getClientId() {
			return this.clientId;
		}

		public void setClientId(String clientId) {
			this.clientId = clientId;
		}

		public String getScopes() {
			return this.scopes;
		}

		public void setScopes(String scopes) {
			this.scopes = scopes;
		}

	}

	/** Where the stores keep their data. */
	public enum StoreType {

		/** Redis through Spring Boot's spring.data.redis.* connection (standalone, Sentinel or Cluster). */
		REDIS,

		/** This process's memory: for a first run and for tests. */
		MEMORY

	}

	/** Token lifetimes, unless a client sets its own. */
	public static class Tokens {

		/** Lifetime of access tokens (SuiteCRM: 1 hour). */
		@NotNull
		private Duration accessTokenTtl = Duration.ofHours(1);

		/** Lifetime of refresh tokens, renewed by each refresh (SuiteCRM: 1 calendar month). */
		@NotNull
		private Duration refreshTokenTtl = Duration.ofDays(30);

		/** Lifetime of authorization codes (SuiteCRM 7.15: 10 minutes). */
		@NotNull
		private Duration authorizationCodeTtl = Duration.ofMinutes(10);

		/**
		 * How long after a refresh the rotated-out refresh token is only refused rather than treated as reuse, which
		 * revokes the whole grant. 0 (the default) treats any second use as reuse (RFC 9700); a few seconds spare
		 * clients that refresh concurrently.
		 */
		@NotNull
		private Duration refreshTokenReuseGracePeriod = Duration.ZERO;

		/**
		 * Live grants one client may hold for one subject (a user, or the client acting as itself). Each token
		 * request beyond it ends the grant that expires first, so that a client asking for a new token on every call
		 * cannot fill the store.
		 */
		@Min(1)
		private int maxGrantsPerClientAndSubject = 1000;

		/**
		 * How long a replica may authenticate token requests against a client as it last read it instead of reading
		 * Redis on every request (Redis mode). A change announced by any replica ends it at once; this bounds how long
		 * a change could go unseen if its announcement were lost, and every grant is checked against the stored
		 * client once issued either way. 0 reads Redis on every request.
		 */
		@NotNull
		private Duration recentClientTtl = Duration.ofSeconds(1);

		public Duration getAccessTokenTtl() {
			return this.accessTokenTtl;
		}

		public void setAccessTokenTtl(Duration accessTokenTtl) {
			this.accessTokenTtl = accessTokenTtl;
		}

		public Duration getRefreshTokenTtl() {
			return this.refreshTokenTtl;
		}

		public void setRefreshTokenTtl(Duration refreshTokenTtl) {
			this.refreshTokenTtl = refreshTokenTtl;
		}

		public Duration getAuthorizationCodeTtl() {
			return this.authorizationCodeTtl;
		}

		public void setAuthorizationCodeTtl(Duration authorizationCodeTtl) {
			this.authorizationCodeTtl = authorizationCodeTtl;
		}

		public Duration getRefreshTokenReuseGracePeriod() {
			return this.refreshTokenReuseGracePeriod;
		}

		public void setRefreshTokenReuseGracePeriod(Duration refreshTokenReuseGracePeriod) {
			this.refreshTokenReuseGracePeriod = refreshTokenReuseGracePeriod;
		}

		public int getMaxGrantsPerClientAndSubject() {
			return this.maxGrantsPerClientAndSubject;
		}

		public void setMaxGrantsPerClientAndSubject(int maxGrantsPerClientAndSubject) {
			this.maxGrantsPerClientAndSubject = maxGrantsPerClientAndSubject;
		}

		public Duration getRecentClientTtl() {
			return this.recentClientTtl;
		}

		public void setRecentClientTtl(Duration recentClientTtl) {
			this.recentClientTtl = recentClientTtl;
		}

	}

	/**
	 * The keys that sign access tokens. Configured keys win; without them keys are generated and kept in the store,
	 * so that replicas sharing a Redis sign alike, a restart keeps tokens valid, and keys can rotate.
	 */
	public static class Signing {

		/** PEM-encoded RSA private key (PKCS#8 or PKCS#1), e.g. from the environment variable PORTCULLIS_SIGNING_PRIVATE_KEY. */
		private @Nullable String privateKey;

		/** Location of a PEM-encoded RSA private key, e.g. file:/etc/portcullis/signing-key.pem. */
		private @Nullable Resource privateKeyLocation;

		/** The "kid" of a configured key; defaults to its RFC 7638 thumbprint. */
		private @Nullable String keyId;

		/**
		 * The max-age of the JWK Set (/.well-known/jwks.json) for caches; a next key is published for this long plus
		 * rotation.client-cache-time before it may sign.
		 */
		@NotNull
		@DurationMin(seconds = 0)
		private Duration jwksMaxAge = Duration.ofMinutes(5);

		/**
		 * Configured keys, for teams that keep them in a secret manager: the first signs, the others are published and
		 * accepted (list a new key second to publish it, move it first once caches know it, then drop the old one).
		 * Rotation through the admin API is then refused: the configuration owns the keys.
		 */
		@Valid
		private List<ConfiguredKey> keys = new ArrayList<>();

		/**
		 * How often each replica reads the key set from the store, in case it missed the announcement of a change
		 * (which normally reaches it at once).
		 */
		@NotNull
		@DurationMin(millis = 100)
		private Duration refreshInterval = Duration.ofSeconds(5);

		@Valid
		private final Rotation rotation = new Rotation();

		public @Nullable String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(@Nullable String privateKey) {
			this.privateKey = privateKey;
		}

		public @Nullable Resource getPrivateKeyLocation() {
			return this.privateKeyLocation;
		}

		public void setPrivateKeyLocation(@Nullable Resource privateKeyLocation) {
			this.privateKeyLocation = privateKeyLocation;
		}

		public @Nullable String getKeyId() {
			return this.keyId;
		}

		public void setKeyId(@Nullable String keyId) {
			this.keyId = keyId;
		}

		public List<ConfiguredKey> getKeys() {
			return this.keys;
		}

		public void setKeys(List<ConfiguredKey> keys) {
			this.keys = keys;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public Rotation getRotation() {
			return this.rotation;
		}

		public Duration getJwksMaxAge() {
			return this.jwksMaxAge;
		}

		public void setJwksMaxAge(Duration jwksMaxAge) {
			this.jwksMaxAge = jwksMaxAge;
		}

	}

	/** One configured signing key. */
	public static class ConfiguredKey {

		/** PEM-encoded RSA private key (PKCS#8 or PKCS#1). */
		private @Nullable String privateKey;

		/** Location of a PEM-encoded RSA private key, instead of private-key. */
		private @Nullable Resource privateKeyLocation;

		/** Its "kid"; defaults to its RFC 7638 thumbprint. */
		private @Nullable String keyId;

		public @Nullable String getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(@Nullable String privateKey) {
			this.privateKey = privateKey;
		}

		public @Nullable Resource getPrivateKeyLocation() {
			return this.privateKeyLocation;
		}

		public void setPrivateKeyLocation(@Nullable Resource privateKeyLocation) {
			this.privateKeyLocation = privateKeyLocation;
		}

		public @Nullable String getKeyId() {
			return this.keyId;
		}

		public void setKeyId(@Nullable String keyId) {
			this.keyId = keyId;
		}

	}

	/** Rotation of the keys kept in the store. */
	public static class Rotation {

		/**
		 * Rotate the signing key this often (e.g. P30D): a next key is made early enough to be published for
		 * jwks-max-age + client-cache-time, and promoted when the active key is this old. Unset (the default): keys
		 * rotate only on demand (admin API or console).
		 */
		private @Nullable Duration interval;

		/**
		 * How long clients keep a JWK Set on their own, whatever its max-age (Nimbus's and Spring Security's default
		 * is 5 minutes): a next key is published for jwks-max-age plus this before it may sign.
		 */
		@NotNull
		@DurationMin(seconds = 0)
		private Duration clientCacheTime = Duration.ofMinutes(5);

		/** How often a replica checks whether the schedule is due (only one replica acts on it). */
		@NotNull
		@DurationMin(millis = 100)
		private Duration checkInterval = Duration.ofMinutes(1);

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

		public Duration getClientCacheTime() {
			return this.clientCacheTime;
		}

		public void setClientCacheTime(Duration clientCacheTime) {
			this.clientCacheTime = clientCacheTime;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

	}

	/** How client secrets and user passwords are hashed and checked. */
	public static class Secrets {

		/** BCrypt cost factor (log2 rounds) for client secrets, and for user passwords under bcrypt. */
		@Min(4)
		@Max(31)
		private int bcryptStrength = 10;

		/**
		 * The hash of user passwords: argon2id (Keycloak's parameters: 7 MiB, 5 passes, 1 lane) or bcrypt. A stored
		 * hash of the other, or of weaker parameters, is replaced at the user's next successful sign-in.
		 */
		@NotNull
		private PasswordHasher.Algorithm userPasswordHash = PasswordHasher.Algorithm.ARGON2ID;

		/**
		 * How long a client secret, once verified, is recognised by a fast salted digest instead of a full BCrypt
		 * check. 0 disables the cache. A wrong secret always pays the full cost.
		 */
		@NotNull
		private Duration verifiedSecretCacheTtl = Duration.ofMinutes(5);

		/**
		 * Password checks that may wait for a hashing thread (one per core), for the whole gateway. Past it a check
		 * is refused at once with 503 and Retry-After, rather than queueing behind a flood.
		 */
		@Min(0)
		private int maxWaitingChecks = 32;

		/**
		 * Encrypts secrets kept in Redis (the private signing keys) with AES-256-GCM: Base64 of 32 random bytes, e.g.
		 * from openssl rand -base64 32. Required with the Redis store unless the signing keys are configured.
		 */
		private @Nullable String encryptionKey;

		/**
		 * Earlier encryption keys, which still decrypt what they encrypted while encryption-key changes (each change of
		 * the signing keys encrypts them again with encryption-key).
		 */
		private List<String> previousEncryptionKeys = new ArrayList<>();

		public int getBcryptStrength() {
			return this.bcryptStrength;
		}

		public void setBcryptStrength(int bcryptStrength) {
			this.bcryptStrength = bcryptStrength;
		}

		public PasswordHasher.Algorithm getUserPasswordHash() {
			return this.userPasswordHash;
		}

		public void setUserPasswordHash(PasswordHasher.Algorithm userPasswordHash) {
			this.userPasswordHash = userPasswordHash;
		}

		public Duration getVerifiedSecretCacheTtl() {
			return this.verifiedSecretCacheTtl;
		}

		public void setVerifiedSecretCacheTtl(Duration verifiedSecretCacheTtl) {
			this.verifiedSecretCacheTtl = verifiedSecretCacheTtl;
		}

		public int getMaxWaitingChecks() {
			return this.maxWaitingChecks;
		}

		public @Nullable String getEncryptionKey() {
			return this.encryptionKey;
		}

		public void setEncryptionKey(@Nullable String encryptionKey) {
			this.encryptionKey = encryptionKey;
		}

		public List<String> getPreviousEncryptionKeys() {
			return this.previousEncryptionKeys;
		}

		public void setPreviousEncryptionKeys(List<String> previousEncryptionKeys) {
			this.previousEncryptionKeys = previousEncryptionKeys;
		}

		public void setMaxWaitingChecks(int maxWaitingChecks) {
			this.maxWaitingChecks = maxWaitingChecks;
		}

	}

	/** The token endpoint, POST /Api/access_token. */
	public static class TokenEndpoint {

		/** Largest request body accepted; larger ones get 413 before they are read. */
		@NotNull
		private DataSize maxBodySize = DataSize.ofKilobytes(64);

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = maxBodySize;
		}

	}

	/** The Redis store (the connection itself is Spring Boot's spring.data.redis.*). */
	public static class Redis {

		/** Prefix of every key Portcullis writes, so that several installations can share one Redis. */
		@NotBlank
		@Pattern(regexp = "[^{}\\s]+", message = "must not contain braces or spaces (they would change Redis Cluster hash slots)")
		private String namespace = "portcullis";

		public String getNamespace() {
			return this.namespace;
		}

		public void setNamespace(String namespace) {
			this.namespace = namespace;
		}

	}

	/** Clients and users created or updated at every start, for first runs and for configuration kept in git. */
	public static class Bootstrap {

		/** Clients to create or update. */
		@Valid
		private List<BootstrapClient> clients = new ArrayList<>();

		/** Users to create or update. */
		@Valid
		private List<BootstrapUser> users = new ArrayList<>();

		@Valid
		private final FirstAdmin firstAdmin = new FirstAdmin();

		public FirstAdmin getFirstAdmin() {
			return this.firstAdmin;
		}

		public List<BootstrapClient> getClients() {
			return this.clients;
		}

		public void setClients(List<BootstrapClient> clients) {
			this.clients = clients;
		}

		public List<BootstrapUser> getUsers() {
			return this.users;
		}

		public void setUsers(List<BootstrapUser> users) {
			this.users = users;
		}

	}

	/**
	 * The administrator created once, on a start that finds no administrator at all (as Keycloak's bootstrap admin
	 * settings): never re-applied later, unlike bootstrap.users.
	 */
	public static class FirstAdmin {

		/** Its username; "admin-" and a random suffix when that username is taken by a user who is no administrator. */
		@NotBlank
		private String username = "admin";

		/**
		 * Its password, e.g. ${PORTCULLIS_FIRST_ADMIN_PASSWORD}. Unset: one is generated and written to password-file,
		 * never to the log.
		 */
		private @Nullable String password;

		/**
		 * Where a generated password is written, readable by the process's user only; the log names the file. The
		 * default is in the temporary directory, which a container with a read-only root file system can write.
		 */
		@NotNull
		private Path passwordFile = Path.of(System.getProperty("java.io.tmpdir"), "portcullis-first-admin-password");

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public Path getPasswordFile() {
			return this.passwordFile;
		}

		public void setPasswordFile(Path passwordFile) {
			this.passwordFile = passwordFile;
		}

	}

	/** One client to keep as configured. */
	public static class BootstrapClient {

		/** The client_id; when unset, a UUID derived from the name, stable across restarts. */
		private @Nullable String id;

		/** A label for people. */
		@NotBlank
		private String name;

		/** The client secret (e.g. ${MY_CLIENT_SECRET}); unset for a public client. Stored only as a hash. */
		private @Nullable String secret;

		/** Grants the client may use: client_credentials, password, authorization_code. */
		private Set<String> grantTypes = new LinkedHashSet<>();

		/** Whether the client can keep its secret; client_credentials requires it. Defaults to whether a secret is set. */
		private @Nullable Boolean confidential;

		/** Username or id of the user a client_credentials token acts as; unset to act as the client itself. */
		private @Nullable String associatedUser;

		/** Redirect URIs for the authorization code grant. */
		private List<URI> redirectUris = new ArrayList<>();

		/** Scopes the client may ask for; none by default, as in SuiteCRM. */
		private Set<String> scopes = new LinkedHashSet<>();

		/** This client's access token lifetime, instead of portcullis.tokens.access-token-ttl. */
		private @Nullable Duration accessTokenTtl;

		/** This client's refresh token lifetime, instead of portcullis.tokens.refresh-token-ttl. */
		private @Nullable Duration refreshTokenTtl;

		/** Whether password and authorization code grants give this client refresh tokens (on when unset). */
		private @Nullable Boolean refreshTokens;

		/** Whether this client may ask POST /oauth2/introspect about tokens, as a resource server; confidential only. */
		private boolean introspection;

		/**
		 * The backend credential (one of portcullis.upstream.credentials) this client's tokens act with on routes with
		 * UpstreamClientCredentials, when it is for the route's backend; unset for the route's own.
		 */
		private @Nullable String backendCredential;

		/** The algorithm of this client's access tokens: RS256 (unset; SuiteCRM's own clients need it) or EdDSA. */
		private @Nullable String signingAlgorithm;

		public @Nullable String getId() {
			return this.id;
		}

		public void setId(@Nullable String id) {
			this.id = id;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public Set<String> getGrantTypes() {
			return this.grantTypes;
		}

		public void setGrantTypes(Set<String> grantTypes) {
			this.grantTypes = grantTypes;
		}

		public @Nullable Boolean getConfidential() {
			return this.confidential;
		}

		public void setConfidential(@Nullable Boolean confidential) {
			this.confidential = confidential;
		}

		public @Nullable String getAssociatedUser() {
			return this.associatedUser;
		}

		public void setAssociatedUser(@Nullable String associatedUser) {
			this.associatedUser = associatedUser;
		}

		public List<URI> getRedirectUris() {
			return this.redirectUris;
		}

		public void setRedirectUris(List<URI> redirectUris) {
			this.redirectUris = redirectUris;
		}

		public Set<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(Set<String> scopes) {
			this.scopes = scopes;
		}

		public @Nullable Duration getAccessTokenTtl() {
			return this.accessTokenTtl;
		}

		public void setAccessTokenTtl(@Nullable Duration accessTokenTtl) {
			this.accessTokenTtl = accessTokenTtl;
		}

		public @Nullable Duration getRefreshTokenTtl() {
			return this.refreshTokenTtl;
		}

		public void setRefreshTokenTtl(@Nullable Duration refreshTokenTtl) {
			this.refreshTokenTtl = refreshTokenTtl;
		}

		public @Nullable Boolean getRefreshTokens() {
			return this.refreshTokens;
		}

		public void setRefreshTokens(@Nullable Boolean refreshTokens) {
			this.refreshTokens = refreshTokens;
		}

		public boolean isIntrospection() {
			return this.introspection;
		}

		public void setIntrospection(boolean introspection) {
			this.introspection = introspection;
		}

		public @Nullable String getBackendCredential() {
			return this.backendCredential;
		}

		public void setBackendCredential(@Nullable String backendCredential) {
			this.backendCredential = backendCredential;
		}

		public @Nullable String getSigningAlgorithm() {
			return this.signingAlgorithm;
		}

		public void setSigningAlgorithm(@Nullable String signingAlgorithm) {
			this.signingAlgorithm = signingAlgorithm;
		}

	}

	/** One user to keep as configured. */
	public static class BootstrapUser {

		/** The user id (the "sub" of the user's tokens); when unset, a UUID derived from the username. */
		private @Nullable String id;

		/** The login name, unique case-insensitively. */
		@NotBlank
		private String username;

		/** The password (e.g. ${ADMIN_PASSWORD}). Stored only as a hash. */
		@NotBlank
		private String password;

		/** Whether the user may log in and get tokens. */
		private boolean active = true;

		/** Whether the user administers the gateway. */
		private boolean admin;

		public @Nullable String getId() {
			return this.id;
		}

		public void setId(@Nullable String id) {
			this.id = id;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public boolean isActive() {
			return this.active;
		}

		public void setActive(boolean active) {
			this.active = active;
		}

		public boolean isAdmin() {
			return this.admin;
		}

		public void setAdmin(boolean admin) {
			this.admin = admin;
		}

	}

}
