package dev.portcullis.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.portcullis.web.PortcullisIntegrationTests;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies stream through the gateway: a 100 MB upload and a 100 MB download pass with flat memory. The client is a
 * plain {@link WebClient} on the gateway's port rather than the {@code WebTestClient}, because the latter records
 * every body it sends and receives (for its failure messages), which would hold the 100 MB in this JVM's heap and
 * hide what the gateway does.
 */
class ProxyStreamingIntegrationTests extends PortcullisIntegrationTests {

	private static final long SIZE = 100L * 1024 * 1024;

	private static final int CHUNK = 64 * 1024;

	/**
	 * The bytes of every upload chunk: one direct buffer of zeros, sent as slices that ignore release, so that the
	 * chunks in flight on the test's side take no memory that would be counted as the gateway's.
	 */
	private static final ByteBuf ZEROS = Unpooled
		.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK).asReadOnly());

	private static final long WARM_UP = 8L * 1024 * 1024;

	/** Far below the body: the gateway may hold a few chunks per connection and its pools, never the body. */
	private static final long FLAT = 32L * 1024 * 1024;

	private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(2);

	@Value("${local.server.port}")
	private int port;

	private ConnectionProvider connections;

	private WebClient client;

	@BeforeEach
	void client() {
		this.connections = ConnectionProvider.newConnection();
		HttpClient httpClient = HttpClient.create(this.connections).responseTimeout(TRANSFER_TIMEOUT);
		this.client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.build();
	}

	@AfterEach
	void closeClient() {
		this.connections.disposeLater().block(Duration.ofSeconds(10));
	}

	@Test
	void uploadWhen100MegabytesThenBackendReceivesEveryByteAndMemoryStaysFlat() {
		String token = clientCredentialsToken();
		// the first transfer fills the connection pools and the allocators' caches, which stay: not the body
		assertThat(upload(token, WARM_UP).bytesAtBackend()).isEqualTo(WARM_UP);

		long started = System.nanoTime();
		Upload upload;
		try (MemoryPeak memory = MemoryPeak.start("100 MB upload")) {
			upload = upload(token, SIZE);
			memory.close();
			printTransfer("upload", started);
			assertFlat(memory);
		}
		assertThat(upload.generated()).isEqualTo(SIZE);
		assertThat(upload.bytesAtBackend()).isEqualTo(104857600L);
	}

	@Test
	void downloadWhen100MegabytesThenClientReceivesEveryByteAndMemoryStaysFlat() {
		String token = clientCredentialsToken();
		assertThat(download(token, WARM_UP).bytes()).isEqualTo(WARM_UP);

		long started = System.nanoTime();
		Download download;
		try (MemoryPeak memory = MemoryPeak.start("100 MB download")) {
			download = download(token, SIZE);
			memory.close();
			printTransfer("download", started);
			assertFlat(memory);
		}
		assertThat(download.bytes()).isEqualTo(104857600L);
		assertThat(download.chunks()).as("arrived in many pieces, not as one aggregate").isGreaterThan(100);
	}

	private static void assertFlat(MemoryPeak memory) {
		assertThat(memory.samples()).as("sampled during the transfer").isGreaterThan(2);
		assertThat(memory.totalPeakGrowth()).as(memory.toString()).isLessThan(FLAT);
		assertThat(memory.pooledDirectPeakGrowth()).as(memory.toString()).isLessThan(FLAT);
	}

	/** Sends {@code size} zero bytes, one chunk at a time as the connection asks for them. */
	private Upload upload(String token, long size) {
		AtomicLong generated = new AtomicLong();
		NettyDataBufferFactory buffers = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);
		Flux<DataBuffer> body = Flux.generate(() -> 0L, (sent, sink) -> {
			if (sent >= size) {
				sink.complete();
				return sent;
			}
			int length = (int) Math.min(CHUNK, size - sent);
			sink.next(buffers.wrap(ZEROS.slice(0, length)));
			generated.addAndGet(length);
			return sent + length;
		});
		Map<String, Object> answer = this.client.post()
			.uri("/Api/V8/upload")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(body, DataBuffer.class)
			.exchangeToMono((response) -> {
				assertThat(response.statusCode().value()).isEqualTo(200);
				return response.bodyToMono(byte[].class).map(this::parse);
			})
			.block(TRANSFER_TIMEOUT);
		assertThat(answer).containsKey("bytes");
		return new Upload(generated.get(), ((Number) answer.get("bytes")).longValue());
	}

	/** Receives {@code size} bytes, counting each buffer and letting it go as it arrives: no aggregate. */
	private Download download(String token, long size) {
		AtomicLong received = new AtomicLong();
		AtomicLong chunks = new AtomicLong();
		HttpStatusCode status = this.client.get()
			.uri("/Api/V8/download/" + size)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchangeToMono((response) -> response.bodyToFlux(DataBuffer.class).doOnNext((buffer) -> {
				received.addAndGet(buffer.readableByteCount());
				chunks.incrementAndGet();
				DataBufferUtils.release(buffer);
			}).then(Mono.just(response.statusCode())))
			.block(TRANSFER_TIMEOUT);
		assertThat(status.value()).isEqualTo(200);
		return new Download(received.get(), chunks.get());
	}

	private record Upload(long generated, long bytesAtBackend) {
	}

	private record Download(long bytes, long chunks) {
	}

	private static void printTransfer(String what, long startedNanos) {
		double seconds = (System.nanoTime() - startedNanos) / 1e9;
		System.out.printf("100 MB %s through the gateway in %.2f s (%.0f MiB/s)%n", what, seconds, 100 / seconds);
	}

}
