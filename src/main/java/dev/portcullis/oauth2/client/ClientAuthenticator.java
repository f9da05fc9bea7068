package dev.portcullis.oauth2.client;

import java.util.Optional;

import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.guard.GuessingGuard;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.LogSafe;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.SingleFlight;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Authenticates the client of a token request (league {@code AbstractGrant::validateClient}). Every failure is the
 * same {@code invalid_client}, and nothing reveals which clients exist: an unknown client, or a known one sent
 * without a secret, waits as long as a check of the slowest hash the store holds takes
 * ({@link HashingPool#imitate(PasswordHasher)}) without spending a hash, and
 * every client id, known or not, is under the same guessing limits ({@link GuessingGuard}).
 *
 * <p>At the token endpoint the client is taken as the store read it a moment ago ({@link ClientStore#findRecentById}),
 * since every grant is checked against the stored client once issued; other endpoints read it from the store.
 *
 * <p>A secret verified recently is recognised without a hash ({@link VerifiedSecretCache}); concurrent requests
 * with the same client id and secret share one check, so a busy client's first burst costs one hash and counts as
 * one attempt.
 *
 * <p>A secret hash imported from SuiteCRM ({@link PasswordHasher#isLegacy}) is checked as SuiteCRM checks it, in as
 * long as any other check ({@link HashingPool#matches}), and replaced by Portcullis's own hash once it matched.
 *
 * <p>HTTP Basic credentials are accepted both form-encoded (RFC 6749 §2.3.1, as openid-client and Nimbus send them)
 * and raw (as league takes them and SuiteCRM's clients send them), still for one password hash a request: the id
 * decides the spelling, since looking it up costs no hash.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-3.2.1">RFC 6749 §3.2.1</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-2.3.1">RFC 6749 §2.3.1</a>
 */
public final class ClientAuthenticator {

	private static final Logger logger = LoggerFactory.getLogger(ClientAuthenticator.class);

	private final ClientStore clients;

	private final PasswordHasher hasher;

	private final VerifiedSecretCache verifiedSecrets;

	private final HashingPool hashing;

	private final GuessingGuard guard;

	/** Checks in flight by client id and secret, shared by concurrent identical requests. */
	private final SingleFlight<Boolean> inFlight = new SingleFlight<>();

	public ClientAuthenticator(ClientStore clients, PasswordHasher hasher, VerifiedSecretCache verifiedSecrets,
			HashingPool hashing, GuessingGuard guard) {
		this.clients = clients;
		this.hasher = hasher;
		this.verifiedSecrets = verifiedSecrets;
		this.hashing = hashing;
		this.guard = guard;
	}

	/**
	 * The client, once its credentials are verified and it may use the grant.
	 * @throws OAuth2Exception {@code invalid_client} (401) on any failure, {@code too_many_attempts} (429) when the
	 * guessing limits refuse the attempt, {@code temporarily_unavailable} (503) when too many checks are waiting
	 */
	public Mono<RegisteredClient> authenticate(ClientCredentials credentials, GrantType grantType) {
		// @formatter:off
		return authenticate(credentials, true)
				.filter((client) -> client.allows(grantType))
				// RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
				.filter((client) -> grantType != GrantType.CLIENT_CREDENTIALS || client.confidential())
				.switchIfEmpty(Mono.error(OAuth2Exception::invalidClient));
		// @formatter:on
	}

	/**
	 * The client, once its credentials are verified, whatever grants it may use: for endpoints other than the
	 * token endpoint (revocation). A public client is authenticated by its id alone, as at the token endpoint.
	 * @throws OAuth2Exception as {@link #authenticate(ClientCredentials, GrantType)}
	 */
	public Mono<RegisteredClient> authenticate(ClientCredentials credentials) {
		return authenticate(credentials, false);
	}

	/**
	 * @param recent whether the client may be taken as read a moment ago: only where what it is given is checked
	 * against the stored client afterwards
	 */
	private Mono<RegisteredClient> authenticate(ClientCredentials credentials, boolean recent) {
		String sentId = credentials.clientId();
		String decodedId = credentials.clientIdFromBasic() ? FormUrlDecoding.decode(sentId) : null;
		if (sentId.equals(decodedId)) {
			decodedId = null;
		}
		// a guesser this replica knows to be blocked is refused before anything is looked up, under either spelling
		// of the id: a flood costs no store round trip, and its refusal is the same for known and unknown ids
		Mono<Lookup> lookup = lookUp(sentId, decodedId, recent);
		if (decodedId != null) {
			lookup = this.guard.unlessKnownBlocked("client:" + decodedId, lookup);
		}
		// @formatter:off
		return this.guard.unlessKnownBlocked("client:" + sentId, lookup)
				.flatMap((found) -> verifySecret(found.clientId(), found.client(), secret(credentials, found)))
				.switchIfEmpty(Mono.error(OAuth2Exception::invalidClient));
		// @formatter:on
	}

	/**
	 * The client under the id as sent, else under its form-decoded spelling (HTTP Basic only). As sent is tried first
	 * and wins when both are clients, as league takes Basic values raw and SuiteCRM's clients rely on it; an id
	 * found neither way is guarded under its decoded spelling. Either way the guessing limits count attempts under
	 * one id per client, however the guesser spells it.
	 */
	private Mono<Lookup> lookUp(String sentId, @Nullable String decodedId, boolean recent) {
		// @formatter:off
		Mono<Lookup> decoded = (decodedId == null) ? Mono.just(new Lookup(sentId, Optional.empty(), false))
				: Mono.defer(() -> find(decodedId, recent)
						.map((client) -> new Lookup(decodedId, Optional.of(client), true))
						.defaultIfEmpty(new Lookup(decodedId, Optional.empty(), true)));
		return find(sentId, recent)
				.map((client) -> new Lookup(sentId, Optional.of(client), false))
				.switchIfEmpty(decoded);
		// @formatter:on
	}

	private Mono<RegisteredClient> find(String clientId, boolean recent) {
		return recent ? this.clients.findRecentById(clientId) : this.clients.findById(clientId);
	}

	/**
	 * The secret to check, the one password hash a request may cost. RFC 6749 §2.3.1: "The client identifier is
	 * encoded using the application/x-www-form-urlencoded encoding algorithm [...] and the encoded value is used as
	 * the username; the client password is encoded using the same algorithm and used as the password." A Basic
	 * secret is therefore decoded when the id matched only decoded, or when it holds {@code %XX} escapes (every
	 * form encoder escapes {@code %} and {@code +}); otherwise it is taken as sent, as league does, so that a raw
	 * {@code +} (base64 secrets) stays a {@code +} and a raw {@code 50%off} stays itself.
	 */
	private static @Nullable String secret(ClientCredentials credentials, Lookup found) {
		String secret = credentials.clientSecret();
		if (secret == null || !credentials.clientSecretFromBasic()
				|| !(found.formDecoded() || FormUrlDecoding.isEscaped(secret))) {
			return secret;
		}
		String decoded = FormUrlDecoding.decode(secret);
		return (decoded != null) ? decoded : secret;
	}

	private Mono<RegisteredClient> verifySecret(String clientId, Optional<RegisteredClient> found,
			@Nullable String secret) {
		if (found.isPresent() && found.get().secretHash() == null) {
			// A public client has no secret to check, as league skips the check for non-confidential clients.
			return found.get().confidential() ? Mono.empty() : Mono.just(found.get());
		}
		if (found.isPresent() && secret != null && this.verifiedSecrets.isVerified(found.get(), secret)) {
			return this.guard.unlessKnownBlocked("client:" + clientId, Mono.just(found.get()));
		}
		return this.inFlight.run(clientId + '\u0000' + ((secret != null) ? secret : ""),
				() -> guardedCheck(clientId, found, secret))
			.filter(Boolean::booleanValue)
			.map((matched) -> found.get());
	}

	private Mono<Boolean> guardedCheck(String clientId, Optional<RegisteredClient> found, @Nullable String secret) {
		return this.guard.check("client:" + clientId, () -> {
			if (found.isEmpty() || secret == null || secret.isEmpty()) {
				return this.hashing.imitate(this.hasher);
			}
			RegisteredClient client = found.get();
			// @formatter:off
			return this.hashing.matches(this.hasher, secret, client.secretHash())
				.flatMap((matched) -> matched ? rehashed(client, secret)
						.doOnNext((stored) -> this.verifiedSecrets.rememberVerified(stored, secret))
						.thenReturn(true) : Mono.just(false));
			// @formatter:on
		});
	}

	/**
	 * The client as stored after a successful check: with SuiteCRM's imported hash replaced by Portcullis's own, so
	 * the weak hash goes as the client comes back, unless the client changed meanwhile (the administrator's change
	 * wins; the next sign-in tries again). A failed upgrade costs the client nothing but the upgrade.
	 */
	private Mono<RegisteredClient> rehashed(RegisteredClient client, String secret) {
		if (!PasswordHasher.isLegacy(client.secretHash())) {
			return Mono.just(client);
		}
		// @formatter:off
		return this.hashing.run(PasswordHasher.SCHEME, () -> this.hasher.hash(secret))
				.flatMap((hash) -> this.clients.replace(client, client.withSecretHash(hash)))
				.doOnNext((stored) -> logger.info("Client {}: its SuiteCRM secret hash is now Portcullis's own", LogSafe.clean(stored.id())))
				.defaultIfEmpty(client)
				.onErrorResume((ex) -> {
					logger.warn("Client {}: its SuiteCRM secret hash could not be replaced now ({}); the next sign-in tries again",
							LogSafe.clean(client.id()), ex.toString());
					return Mono.just(client);
				});
		// @formatter:on
	}

	/**
	 * The outcome of looking a client up.
	 * @param clientId the id the client was found under, or the last one tried: what the guessing limits count
	 * @param formDecoded whether that id is the form-decoded spelling of the one sent
	 */
	private record Lookup(String clientId, Optional<RegisteredClient> client, boolean formDecoded) {
	}

}
