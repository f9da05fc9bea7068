package dev.portcullis.oauth2.client;

import java.util.Optional;

import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.oauth2.guard.GuessingGuard;
import dev.portcullis.store.ClientStore;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.PasswordHasher;
import dev.portcullis.support.SingleFlight;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Authenticates the client of a token request (league {@code AbstractGrant::validateClient}). Every failure is the
 * same {@code invalid_client}, and nothing reveals which clients exist: an unknown client, or a known one sent
 * without a secret, waits as long as a real check takes ({@link HashingPool#imitate}) without spending a hash, and
 * every client id, known or not, is under the same guessing limits ({@link GuessingGuard}).
 *
 * <p>A secret verified recently is recognised without a hash ({@link VerifiedSecretCache}); concurrent requests
 * with the same client id and secret share one check, so a busy client's first burst costs one hash and counts as
 * one attempt.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-3.2.1">RFC 6749 §3.2.1</a>
 */
public final class ClientAuthenticator {

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
		// a guesser this replica knows to be blocked is refused before anything is looked up: a flood costs no store
		// round trip, and its refusal is the same for known and unknown ids
		// @formatter:off
		return this.guard.unlessKnownBlocked("client:" + credentials.clientId(), this.clients.findById(credentials.clientId()))
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((client) -> verifySecret(credentials.clientId(), client, credentials.clientSecret()))
				.filter((client) -> client.allows(grantType))
				// RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
				.filter((client) -> grantType != GrantType.CLIENT_CREDENTIALS || client.confidential())
				.switchIfEmpty(Mono.error(OAuth2Exception::invalidClient));
		// @formatter:on
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
				return this.hashing.imitate(PasswordHasher.SCHEME);
			}
			RegisteredClient client = found.get();
			return this.hashing.run(PasswordHasher.SCHEME, () -> this.hasher.matches(secret, client.secretHash()))
				.doOnNext((matched) -> {
					if (matched) {
						this.verifiedSecrets.rememberVerified(client, secret);
					}
				});
		});
	}

}
