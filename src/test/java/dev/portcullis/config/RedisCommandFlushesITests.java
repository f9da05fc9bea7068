package dev.portcullis.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedis;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis connection's flushes ({@link StoreConfiguration}): commands sent together reach Redis in one write, seen
 * through a relay that counts the reads it makes of the gateway's side of the connection.
 */
@RequiresRedis
class RedisCommandFlushesITests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final AtomicInteger readsFromGateway = new AtomicInteger();

	private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
	}

	@Test
	void commandsSentTogetherWhileAReplyIsReadThenOneWrite() throws Exception {
		ReactiveStringRedisTemplate redis = template(relayToRedis());
		String key = RedisTestSupport.randomNamespace() + ":flushes";
		redis.opsForValue().set(key, "value", Duration.ofMinutes(1)).block(TIMEOUT);
		this.readsFromGateway.set(0);

		// the eight are sent where the first reply is delivered: on the connection's event loop, during its read,
		// as a token's grant sends its commands after a reply
		List<String> values = redis.opsForValue()
			.get(key)
			.flatMapMany((first) -> Flux.range(0, 8).flatMap((i) -> redis.opsForValue().get(key)))
			.collectList()
			.block(TIMEOUT);

		assertThat(values).hasSize(8).containsOnly("value");
		// one read for the first command, one for the eight (each flushed on its own, they took a read each)
		assertThat(this.readsFromGateway).hasValue(2);
	}

	private ReactiveStringRedisTemplate template(int port) {
		DefaultClientResources.Builder builder = DefaultClientResources.builder();
		new StoreConfiguration.RedisStores().consolidateFlushes().customize(builder);
		ClientResources resources = builder.build();
		this.closing.add(() -> resources.shutdown().get());
		LettuceConnectionFactory connections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port),
				LettuceClientConfiguration.builder().clientResources(resources).build());
		connections.afterPropertiesSet();
		connections.start();
		this.closing.add(connections::destroy);
		return new ReactiveStringRedisTemplate(connections);
	}

	/** A relay to the tests' Redis, for one connection; returns its port. */
	private int relayToRedis() throws IOException {
		URI redisUrl = URI.create(RedisTestSupport.redisUrl());
		ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.closing.add(listener);
		daemon(() -> {
			try {
				Socket gateway = listener.accept();
				Socket redis = new Socket(redisUrl.getHost(), redisUrl.getPort());
				this.closing.add(gateway);
				this.closing.add(redis);
				InputStream fromGateway = gateway.getInputStream();
				OutputStream toRedis = redis.getOutputStream();
				daemon(() -> pump(fromGateway, toRedis, this.readsFromGateway));
				pump(redis.getInputStream(), gateway.getOutputStream(), new AtomicInteger());
			}
			catch (IOException ex) {
				// closed at the end of the test
			}
		});
		return listener.getLocalPort();
	}

	private static void pump(InputStream from, OutputStream to, AtomicInteger reads) {
		byte[] buffer = new byte[64 * 1024];
		try {
			for (int read = from.read(buffer); read > 0; read = from.read(buffer)) {
				reads.incrementAndGet();
				to.write(buffer, 0, read);
				to.flush();
			}
		}
		catch (IOException ex) {
			// closed at the end of the test
		}
	}

	private static void daemon(Runnable task) {
		Thread thread = new Thread(task, "redis-relay");
		thread.setDaemon(true);
		thread.start();
	}

}
