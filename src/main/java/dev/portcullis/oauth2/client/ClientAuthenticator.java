package dev.portcullis.oauth2.client;

import java.util.Optional;
import java.util.concurrent.Callable;

import dev.portcullis.oauth2.ClientCredentials;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.OAuth2Exception;
import dev.portcullis.store.ClientStore;
import dev.portcullis.support.PasswordHasher;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Authenticates the client of a token request (league {@code AbstractGrant::validateClient}). Every failure is the
 * same {@code invalid_client}, and an unknown client costs as much time as a wrong secret, so that nothing reveals
 * which clients exist.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-3.2.1">RFC 6749 §3.2.1</a>
 */
public final class ClientAuthenticator {

	private final ClientStore clients;

	private final PasswordHasher hasher;

	private final VerifiedSecretCache verifiedSecrets;

	/** Where the slow hash runs: never the event loop. */
	private final Scheduler hashingScheduler;

	public ClientAuthenticator(ClientStore clients, PasswordHasher hasher, VerifiedSecretCache verifiedSecrets,
			Scheduler hashingScheduler) {
		this.clients = clients;
		this.hasher = hasher;
		this.verifiedSecrets = verifiedSecrets;
		this.hashingScheduler = hashingScheduler;
	}

	/**
	 * The client, once its credentials are verified and it may use the grant.
	 * @throws OAuth2Exception {@code invalid_client} (401) on any failure
	 */
	public Mono<RegisteredClient> authenticate(ClientCredentials credentials, GrantType grantType) {
		// @formatter:off
		return this.clients.findById(credentials.clientId())
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.flatMap((client) -> verifySecret(client, credentials.clientSecret()))
				.filter((client) -> client.allows(grantType))
				// RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
				.filter((client) -> grantType != GrantType.CLIENT_CREDENTIALS || client.confidential())
				.switchIfEmpty(Mono.error(OAuth2Exception::invalidClient));
		// @formatter:on
	}

	private Mono<RegisteredClient> verifySecret(Optional<RegisteredClient> found, @Nullable String secret) {
		if (found.isEmpty()) {
			return slowHash(() -> this.hasher.matchesNothing(secret == null ? "" : secret)).then(Mono.empty());
		}
		RegisteredClient client = found.get();
		String secretHash = client.secretHash();
		if (secretHash == null) {
			// A public client has no secret to check, as league skips the check for non-confidential clients.
			return client.confidential() ? Mono.empty() : Mono.just(client);
		}
		if (secret == null || secret.isEmpty()) {
			return Mono.empty();
		}
		if (this.verifiedSecrets.isVerified(client, secret)) {
			return Mono.just(client);
		}
		return slowHash(() -> this.hasher.matches(secret, secretHash)).filter(Boolean::booleanValue).map((matched) -> {
			this.verifiedSecrets.rememberVerified(client, secret);
			return client;
		});
	}

	private Mono<Boolean> slowHash(Callable<Boolean> check) {
		return Mono.fromCallable(check).subscribeOn(this.hashingScheduler);
	}

}
