package dev.portcullis.store.redis;

import dev.portcullis.oauth2.token.TokenIds;
import dev.portcullis.support.TokenHashing;

/**
 * Every Redis key and channel name Portcullis uses, under one namespace so that several deployments (or test
 * runs) can share a Redis. Keys that one Lua script touches together share a Redis Cluster hash tag ({@code {…}}),
 * because a script may only touch keys of one slot: {@code {clients}} for all clients, {@code {users}} for all
 * users, the authorization id for an authorization, its rotated-out refresh tokens and the revocations of its
 * access tokens, and the code hash for an authorization code and its used marker.
 *
 * @see <a href="https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags">Redis Cluster
 * hash tags</a>
 */
public final class RedisKeys {

	/** The namespace used when none is configured. */
	public static final String DEFAULT_NAMESPACE = "portcullis";

	private static final String SIGNING_KEYS_CHANGED = "signing-keys:";

	private static final String CLIENT_CHANGED = "client:";

	private final String namespace;

	public RedisKeys() {
		this(DEFAULT_NAMESPACE);
	}

	/**
	 * @param namespace the prefix of every key; it may not contain braces, which would become the hash tag of
	 * every key and put them all in one slot
	 */
	public RedisKeys(String namespace) {
		if (namespace.isBlank() || namespace.contains("{") || namespace.contains("}")) {
			throw new IllegalArgumentException("A Redis namespace must be non-blank and free of braces: " + namespace);
		}
		this.namespace = namespace;
	}

	public String namespace() {
		return this.namespace;
	}

	/** String: a client's JSON. */
	public String client(String clientId) {
		return key("{clients}:client:" + clientId);
	}

	/** Set: every client id, for listing without a scan. */
	public String clientIds() {
		return key("{clients}:ids");
	}

	/** String: a user's JSON. */
	public String user(String userId) {
		return key("{users}:user:" + userId);
	}

	/** Set: every user id, for listing without a scan. */
	public String userIds() {
		return key("{users}:ids");
	}

	/** String: the id of the user with this username, already normalized by the caller. */
	public String username(String normalizedUsername) {
		return key("{users}:username:" + normalizedUsername);
	}

	/** Hash: an authorization ({@code data}, {@code rt}, {@code jti}, {@code aexp}). */
	public String authorization(String authorizationId) {
		return key("authz:{" + authorizationId + "}");
	}

	/** Hash: the refresh token hashes rotated out of an authorization, with when (epoch ms). */
	public String rotatedOut(String authorizationId) {
		return authorization(authorizationId) + ":used";
	}

	/**
	 * Hash: revoked {@code jti}s with their expiry (epoch ms), one hash per authorization. A {@code jti} Portcullis
	 * issued starts with its authorization id, so it lands in its authorization's slot; any other string was never
	 * issued here and gets a slot of its own.
	 */
	public String revoked(String jti) {
		return TokenIds.isIssuedJti(jti) ? revokedIn(TokenIds.authorizationIdOf(jti))
				: key("revoked:{" + jti + "}");
	}

	/** Hash: the revoked {@code jti}s of one authorization, the same key as {@link #revoked} of any of them. */
	public String revokedIn(String authorizationId) {
		return key("revoked:{" + authorizationId + "}");
	}

	/**
	 * Pub/sub channel: each revoked {@code jti}, as it is revoked, as {@code <jti> <epoch ms of the revocation>}; also
	 * each new signing key set ({@link #signingKeysChanged}) and each changed client ({@link #clientChanged}).
	 */
	public String revocationsChannel() {
		return key("revocations");
	}

	/** Sorted set: ids of a client's authorizations, scored by their expiry (epoch ms). */
	public String clientIndex(String clientId) {
		return key("index:client:" + clientId);
	}

	/**
	 * Sorted set: ids of the authorizations of one client and subject, scored by their expiry (epoch ms), for the cap
	 * on live grants. Both ids are chosen by administrators and may hold any character: only a digest of the pair goes
	 * into the key.
	 */
	public String subjectIndex(String clientId, String subject) {
		return key("index:grants:" + TokenHashing.sha256Hex(clientId + '\u0000' + subject).substring(0, 32));
	}

	/** Sorted set: hashes of the codes not yet consumed, scored by their expiry (epoch ms). */
	public String codeIndex() {
		return key("index:codes");
	}

	/** Sorted set: ids of all authorizations, scored by their expiry (epoch ms). */
	public String allIndex() {
		return key("index:all");
	}

	/** Sorted set: ids of a user's authorizations, scored by their expiry (epoch ms). */
	public String userIndex(String userId) {
		return key("index:user:" + userId);
	}

	/** String: the JSON of an authorization code not yet exchanged, known by the code's SHA-256. */
	public String code(String codeHash) {
		return key("code:{" + codeHash + "}");
	}

	/**
	 * String: the marker of a consumed code, in the slot of {@link #code}: the id of the authorization issued from
	 * it, or empty until that is recorded.
	 */
	public String codeUsed(String codeHash) {
		return key("code-used:{" + codeHash + "}");
	}

	/** Hash: a user's consents, client id to JSON. */
	public String consent(String userId) {
		return key("consent:{" + userId + "}");
	}

	/** List: the audit log's events as JSON, newest first. */
	public String auditLog() {
		return key("audit");
	}

	/**
	 * Hash: a counter of credential attempts ({@code count}, {@code until}). The caller's key names a client id,
	 * username or address, which a caller controls: only its SHA-256 goes into the key, so braces or length in it
	 * change nothing.
	 */
	public String attempts(String counter) {
		return key("attempts:{" + TokenHashing.sha256Hex(counter).substring(0, 32) + "}");
	}

	/**
	 * String: the token a backend issued for one of the gateway's backend credentials, as
	 * {@code <fingerprint> <obtained epoch ms> <expiry epoch ms> <encrypted token>}, expiring with the token.
	 */
	public String backendToken(String credential) {
		return key("upstream-token:{" + backendSlot(credential) + "}");
	}

	/** String: the replica that is fetching a backend credential's token, in the slot of {@link #backendToken}. */
	public String backendTokenLock(String credential) {
		return key("upstream-token-lock:{" + backendSlot(credential) + "}");
	}

	/** A credential's name comes from the settings and may hold any character: only its digest goes into keys. */
	private static String backendSlot(String credential) {
		return TokenHashing.sha256Hex(credential).substring(0, 32);
	}

	/**
	 * String: the private signing JWK shared by every replica, as Portcullis kept it before key sets (read once, to
	 * take it over into {@link #signingKeys()}, then deleted).
	 */
	public String signingKey() {
		return key("signing-key");
	}

	/** Hash: the signing key set ({@code version}, {@code keys}: JSON with each private key encrypted). */
	public String signingKeys() {
		return key("signing-keys");
	}

	/** The announcement of a new signing key set on {@link #revocationsChannel()}, with its time (epoch ms). */
	public static String signingKeysChanged(long version, long epochMillis) {
		return SIGNING_KEYS_CHANGED + version + " " + epochMillis;
	}

	/** The announcement of a changed or deleted client on {@link #revocationsChannel()}, with its time (epoch ms). */
	public static String clientChanged(String clientId, long epochMillis) {
		return CLIENT_CHANGED + clientId + " " + epochMillis;
	}

	/** Whether a message on the revocations channel announces a changed or deleted client. */
	public static boolean isClientChanged(String message) {
		return message.startsWith(CLIENT_CHANGED) && message.lastIndexOf(' ') >= CLIENT_CHANGED.length();
	}

	/** The id of the client a {@link #isClientChanged client change} announces (an id may hold spaces). */
	public static String changedClientId(String message) {
		return message.substring(CLIENT_CHANGED.length(), message.lastIndexOf(' '));
	}

	/** Whether a message on the revocations channel announces a new signing key set. */
	public static boolean isSigningKeysChanged(String message) {
		return message.startsWith(SIGNING_KEYS_CHANGED);
	}

	private String key(String suffix) {
		return this.namespace + ":" + suffix;
	}

	@Override
	public String toString() {
		return "RedisKeys[" + this.namespace + "]";
	}

}
