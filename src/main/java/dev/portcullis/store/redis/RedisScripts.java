package dev.portcullis.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts under {@code redis/} on the class path, read once. A script made from the resource itself
 * ({@code RedisScript.of(Resource)}) asks the resource for its modification time on every call to see whether
 * its SHA-1 is still valid: inside the jar that is a file stat and a {@code FileNotFoundException} per command.
 */
final class RedisScripts {

	private RedisScripts() {
	}

	static <T> RedisScript<T> load(String name, Class<T> resultType) {
		try (InputStream in = new ClassPathResource("redis/" + name + ".lua").getInputStream()) {
			return RedisScript.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Redis script " + name, ex);
		}
	}

}
