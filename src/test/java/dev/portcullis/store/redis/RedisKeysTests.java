package dev.portcullis.store.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import dev.portcullis.fixtures.TestAuthorizationCodes;
import dev.portcullis.fixtures.TestAuthorizations;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The key layout, and above all the hash tags that let each Lua script run on a Redis Cluster: the keys one script
 * touches must hash to one slot.
 */
class RedisKeysTests {

	private final RedisKeys keys = new RedisKeys("ns");

	@Test
	void constructorWhenNoNamespaceThenDefault() {
		assertThat(new RedisKeys().signingKey()).isEqualTo("portcullis:signing-key");
		assertThat(new RedisKeys().signingKeys()).isEqualTo("portcullis:signing-keys");
	}

	@Test
	void constructorWhenNamespaceHasBracesOrIsBlankThenIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("a{b"));
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("a}b"));
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys(" "));
	}

	/**
	 * Operators size, back up and clean up Redis from the README's "Storage" list, so every key (and the channel)
	 * written through this class must be in it: read from this class's source, so a new key fails here until
	 * documented.
	 */
	@Test
	void readmeStorageListWhenReadThenNamesEveryKeyThisClassBuilds() throws IOException {
		String source = Files.readString(Path.of("src/main/java/dev/portcullis/store/redis/RedisKeys.java"));
		String readme = Files.readString(Path.of("README.md"));
		String storage = readme.substring(readme.indexOf("\n## Storage"), readme.indexOf("\n## Deploying"));
		List<String> prefixes = Pattern.compile("key\\(\"([^\"]+)\"").matcher(source).results()
			.map((match) -> "`ns:" + match.group(1))
			.toList();

		assertThat(prefixes).hasSizeGreaterThan(15);
		assertThat(prefixes).allSatisfy((prefix) -> assertThat(storage).contains(prefix));
	}

	@Test
	void keysWhenBuiltThenDocumentedLayout() {
		String id = "0123456789abcdef0123456789abcdef";
		assertThat(this.keys.client("c")).isEqualTo("ns:{clients}:client:c");
		assertThat(this.keys.clientIds()).isEqualTo("ns:{clients}:ids");
		assertThat(this.keys.user("u")).isEqualTo("ns:{users}:user:u");
		assertThat(this.keys.userIds()).isEqualTo("ns:{users}:ids");
		assertThat(this.keys.username("alice")).isEqualTo("ns:{users}:username:alice");
		assertThat(this.keys.authorization(id)).isEqualTo("ns:authz:{" + id + "}");
		assertThat(this.keys.rotatedOut(id)).isEqualTo("ns:authz:{" + id + "}:used");
		assertThat(this.keys.revoked(id + "0".repeat(48))).isEqualTo("ns:revoked:{" + id + "}");
		assertThat(this.keys.revocationsChannel()).isEqualTo("ns:revocations");
		assertThat(this.keys.clientIndex("c")).isEqualTo("ns:index:client:c");
		assertThat(this.keys.userIndex("u")).isEqualTo("ns:index:user:u");
		assertThat(this.keys.code("c0de")).isEqualTo("ns:code:{c0de}");
		assertThat(this.keys.codeUsed("c0de")).isEqualTo("ns:code-used:{c0de}");
		assertThat(this.keys.consent("u")).isEqualTo("ns:consent:{u}");
		assertThat(this.keys.auditLog()).isEqualTo("ns:audit");
	}

	@Test
	void authorizationKeysWhenOneAuthorizationThenOneClusterSlot() {
		String id = TestAuthorizations.newId();
		int slot = SlotHash.getSlot(this.keys.authorization(id));

		assertThat(SlotHash.getSlot(this.keys.rotatedOut(id))).isEqualTo(slot);
		assertThat(SlotHash.getSlot(this.keys.revokedIn(id))).isEqualTo(slot);
		assertThat(SlotHash.getSlot(this.keys.revoked(TestAuthorizations.newJti(id)))).isEqualTo(slot);
	}

	@Test
	void codeKeysWhenOneCodeThenOneClusterSlot() {
		String codeHash = TestAuthorizationCodes.newCodeHash();

		assertThat(SlotHash.getSlot(this.keys.codeUsed(codeHash)))
			.isEqualTo(SlotHash.getSlot(this.keys.code(codeHash)));
	}

	@Test
	void clientAndUserKeysWhenDifferentIdsThenOneClusterSlotEach() {
		assertThat(SlotHash.getSlot(this.keys.client("a"))).isEqualTo(SlotHash.getSlot(this.keys.client("b")))
			.isEqualTo(SlotHash.getSlot(this.keys.clientIds()));
		assertThat(SlotHash.getSlot(this.keys.user("a"))).isEqualTo(SlotHash.getSlot(this.keys.username("{x}")))
			.isEqualTo(SlotHash.getSlot(this.keys.username("b")))
			.isEqualTo(SlotHash.getSlot(this.keys.userIds()));
	}

	@Test
	void revokedWhenJtiNotIssuedHereThenItsOwnTag() {
		assertThat(this.keys.revoked("foreign")).isEqualTo("ns:revoked:{foreign}");
		assertThat(this.keys.revoked("0".repeat(80).toUpperCase().replace('0', 'A')))
			.isEqualTo("ns:revoked:{" + "A".repeat(80) + "}");
	}

}
