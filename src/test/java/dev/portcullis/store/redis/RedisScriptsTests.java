package dev.portcullis.store.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks on the Lua scripts that need no Redis. Redis cannot share a function between scripts, so the revocation
 * step is copied into each script that revokes: the copies must not drift apart.
 */
class RedisScriptsTests {

	@Test
	void revokeFunctionWhenCopiedIntoScriptsThenCopiesIdentical() throws IOException {
		String original = revokeFunction("revoke.lua");

		assertThat(revokeFunction("authorization-rotate.lua")).isEqualTo(original);
		assertThat(revokeFunction("authorization-remove.lua")).isEqualTo(original);
	}

	private static String revokeFunction(String script) throws IOException {
		String text = new ClassPathResource("redis/" + script).getContentAsString(StandardCharsets.UTF_8);
		int start = text.indexOf("local function revoke(");
		int end = text.indexOf("\nend\n", start);
		assertThat(start).as("revoke function in %s", script).isNotNegative();
		assertThat(end).as("end of the revoke function in %s", script).isPositive();
		return text.substring(start, end);
	}

}
