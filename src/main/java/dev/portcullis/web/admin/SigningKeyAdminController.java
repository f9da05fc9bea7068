package dev.portcullis.web.admin;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.SigningKeyAdministration;
import dev.portcullis.oauth2.token.SigningAlgorithm;
import dev.portcullis.oauth2.token.SigningKey;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/signing-keys}: the signing keys with their states and dates, and their rotation (create the next
 * key, promote it, retire a key now) over {@link SigningKeyAdministration}. A change the rules refuse (a second next
 * key, a promotion before caches know the key, any change of configured keys) is a 409.
 */
@RestController
@RequestMapping("/admin/api/signing-keys")
public class SigningKeyAdminController {

	private final SigningKeyAdministration signingKeys;

	public SigningKeyAdminController(SigningKeyAdministration signingKeys) {
		this.signingKeys = signingKeys;
	}

	/** The keys, the active one first; {@code configured} when the configuration owns them. */
	@GetMapping
	public Mono<SigningKeysView> list() {
		return this.signingKeys.list()
			.map((set) -> new SigningKeysView(this.signingKeys.configured(), set.version(),
					set.keys().stream().map(this::view).toList()));
	}

	/**
	 * Publishes a new next key (201) of {@code algorithm} (RS256 unless EdDSA is named); it may sign once caches know it
	 * ({@code promotableAt}).
	 */
	@PostMapping
	public Mono<ResponseEntity<SigningKeyView>> createNext(@RequestParam(required = false) @Nullable String algorithm,
			Authentication admin) {
		SigningAlgorithm chosen = (algorithm != null) ? SigningAlgorithm.parse(algorithm) : SigningAlgorithm.RS256;
		if (chosen == null) {
			return Mono.error(new InvalidFieldsException("algorithm", "algorithm must be RS256 or EdDSA"));
		}
		return this.signingKeys.createNext(chosen, admin.getName())
			.map((key) -> ResponseEntity.status(HttpStatus.CREATED).body(view(key)));
	}

	/** Makes the next key {@code kid} the active one; the active key is retired. */
	@PostMapping("/{kid}/promote")
	public Mono<SigningKeyView> promote(@PathVariable String kid, Authentication admin) {
		return this.signingKeys.promote(kid, admin.getName()).map(this::view);
	}

	/** Removes the key at once (compromised): its tokens are refused from now on. */
	@PostMapping("/{kid}/retire")
	public Mono<SigningKeysView> retireNow(@PathVariable String kid, Authentication admin) {
		return this.signingKeys.retireNow(kid, admin.getName())
			.map((set) -> new SigningKeysView(false, set.version(), set.keys().stream().map(this::view).toList()));
	}

	SigningKeyView view(SigningKey key) {
		return new SigningKeyView(key.kid(), key.algorithm().getName(), key.state().name().toLowerCase(java.util.Locale.ROOT),
				key.createdAt(), key.activatedAt(), key.retiredAt(), key.acceptedUntil(),
				(key.state() == SigningKey.State.NEXT) ? this.signingKeys.promotableAt(key) : null);
	}

	/** The key set as the API shows it. */
	public record SigningKeysView(boolean configured, long version, List<SigningKeyView> keys) {
	}

	/** One key, never its private part; dates that do not apply are left out. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record SigningKeyView(String kid, String algorithm, String state, Instant createdAt,
			@Nullable Instant activatedAt, @Nullable Instant retiredAt, @Nullable Instant acceptedUntil,
			@Nullable Instant promotableAt) {
	}

}
