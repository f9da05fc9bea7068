package dev.portcullis.config;

import java.time.Duration;
import java.util.List;

import dev.portcullis.oauth2.client.RegisteredClient;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.PasswordHasher;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Learns at start the slowest hash the store holds for users and for clients, so that every answer for that kind of
 * account, unknown name included, takes as long as it ({@link HashingPool#padToSlowest}): users not yet upgraded from
 * bcrypt at cost 10, or imported from SuiteCRM at cost 12, are otherwise told from unknown names by timing. One read
 * of every user and client, and one check of each kind of hash, before any server is started (as
 * {@link BootstrapRunner}); hashes written later are of the configured kind, never slower.
 */
@Component
class HashTimingPadding implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(HashTimingPadding.class);

	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

	private final UserStore users;

	private final ClientStore clients;

	private final PasswordHasher hasher;

	private final PasswordHasher userPasswordHasher;

	private final HashingPool hashing;

	HashTimingPadding(UserStore users, ClientStore clients, PasswordHasher hasher,
			@Qualifier("userPasswordHasher") PasswordHasher userPasswordHasher, HashingPool hashing) {
		this.users = users;
		this.clients = clients;
		this.hasher = hasher;
		this.userPasswordHasher = userPasswordHasher;
		this.hashing = hashing;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> passwordHashes = this.users.findAll().map(User::passwordHash).collectList().block(STORE_TIMEOUT);
		pad("User passwords", this.userPasswordHasher, passwordHashes);
		List<String> secretHashes = this.clients.findAll()
			.mapNotNull(RegisteredClient::secretHash)
			.collectList()
			.block(STORE_TIMEOUT);
		pad("Client secrets", this.hasher, secretHashes);
	}

	private void pad(String accounts, PasswordHasher hasher, @Nullable List<String> storedHashes) {
		String slowest = this.hashing.padToSlowest(hasher, (storedHashes != null) ? storedHashes : List.of());
		if (slowest != null) {
			logger.info("{}: some are still hashed slower than {} ({}); every check, and the answer for an unknown "
					+ "name, waits as long as such a hash takes until the next start", accounts, hasher.scheme(), slowest);
		}
	}

}
