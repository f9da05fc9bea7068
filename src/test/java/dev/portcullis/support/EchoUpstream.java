package dev.portcullis.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP backend on a loopback port for proxy tests, standing in for a CRM: it answers what it received, so
 * tests can assert on forwarded methods, paths, queries, headers and bodies.
 * <ul>
 * <li>any path: {@code 200} JSON {@code {"method","path","query","headers":{name:[values]},"rawHeaders":[[name,value]],
 * "cgi":{HTTP_NAME:[values]},"body"}} (body as text): {@code headers} by lower-case name, {@code rawHeaders} exactly
 * as received, in order, and {@code cgi} as a CGI-style backend (PHP, {@code php -S}) reads them, every character of
 * the name that is not a letter or digit folded to {@code _};</li>
 * <li>{@code /Api/V8/upload}: reads the body without keeping it, answers {@code {"bytes":n}};</li>
 * <li>{@code /Api/V8/download/{n}}: streams {@code n} bytes in 64 KiB chunks;</li>
 * <li>{@code /Api/V8/status/{code}}: answers that status with a JSON:API error body;</li>
 * <li>{@code /Api/V8/slow/{millis}}: answers after that delay;</li>
 * <li>{@code /Api/V8/hop-by-hop}: answers with hop-by-hop headers ({@code Keep-Alive}, {@code Proxy-Authenticate},
 * {@code X-Application-Context}, {@code X-Backend-Hop} named in {@code Connection}) and {@code X-Backend-Kept}.</li>
 * </ul>
 * It counts the requests it received ({@link #requestCount()}), so that tests can tell that the gateway forwarded
 * nothing.
 */
public final class EchoUpstream implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int CHUNK = 64 * 1024;

	/**
	 * The bytes of every download chunk: one shared direct buffer of zeros, sent as read-only slices that ignore
	 * release, so that a 100 MB download takes neither heap nor direct memory here that would blur the gateway's
	 * memory in the same JVM.
	 */
	private static final ByteBuf ZEROS = Unpooled
		.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK).asReadOnly());

	private final AtomicLong requests = new AtomicLong();

	private final DisposableServer server;

	public EchoUpstream() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> {
				this.requests.incrementAndGet();
				String path = request.fullPath();
				if (path.equals("/Api/V8/upload")) {
					// each buffer becomes its length and is released by Reactor Netty after onNext; an operator
					// that discards the buffers themselves (then(), ignoreElements()) would release them twice
					return response.header("Content-Type", "application/json")
						.sendString(request.receive()
							.map((buffer) -> (long) buffer.readableBytes())
							.reduce(0L, Long::sum)
							.map((bytes) -> "{\"bytes\":" + bytes + "}"));
				}
				if (path.startsWith("/Api/V8/download/")) {
					long size = Long.parseLong(path.substring("/Api/V8/download/".length()));
					Flux<ByteBuf> chunks = Flux.generate(() -> size, (remaining, sink) -> {
						if (remaining <= 0) {
							sink.complete();
							return remaining;
						}
						int length = (int) Math.min(CHUNK, remaining);
						sink.next(ZEROS.slice(0, length));
						return remaining - length;
					});
					return response.header("Content-Type", "application/octet-stream").send(chunks);
				}
				if (path.startsWith("/Api/V8/status/")) {
					int status = Integer.parseInt(path.substring("/Api/V8/status/".length()));
					return response.status(status)
						.header("Content-Type", "application/vnd.api+json")
						.sendString(Mono.just("{\"errors\":{\"status\":" + status + ",\"title\":null,\"detail\":\"from upstream\"}}"));
				}
				if (path.equals("/Api/V8/hop-by-hop")) {
					return response.header("Connection", "X-Backend-Hop")
						.header("X-Backend-Hop", "1")
						.header("Keep-Alive", "timeout=5")
						.header("Proxy-Authenticate", "Basic")
						.header("X-Application-Context", "backend")
						.header("X-Backend-Kept", "2")
						.header("Content-Type", "application/json")
						.sendString(Mono.just("{}"));
				}
				if (path.startsWith("/Api/V8/slow/")) {
					long millis = Long.parseLong(path.substring("/Api/V8/slow/".length()));
					return response.sendString(Mono.delay(Duration.ofMillis(millis)).thenReturn("{\"slow\":true}"));
				}
				return request.receive()
					.aggregate()
					.asString()
					.defaultIfEmpty("")
					.flatMap((body) -> response.status(200)
						.header("Content-Type", "application/json")
						.sendString(Mono.just(echo(request, body)))
						.then());
			})
			.bindNow();
	}

	private static String echo(HttpServerRequest request, String body) {
		Map<String, Object> echo = new LinkedHashMap<>();
		echo.put("method", request.method().name());
		String uri = request.uri();
		int question = uri.indexOf('?');
		echo.put("path", (question < 0) ? uri : uri.substring(0, question));
		echo.put("query", (question < 0) ? "" : uri.substring(question + 1));
		Map<String, List<String>> headers = new LinkedHashMap<>();
		request.requestHeaders().names().forEach((name) -> headers.put(name.toLowerCase(), request.requestHeaders().getAll(name)));
		echo.put("headers", headers);
		List<List<String>> rawHeaders = new ArrayList<>();
		Map<String, List<String>> cgi = new LinkedHashMap<>();
		request.requestHeaders().forEach((header) -> {
			rawHeaders.add(List.of(header.getKey(), header.getValue()));
			cgi.computeIfAbsent(cgiName(header.getKey()), (name) -> new ArrayList<>()).add(header.getValue());
		});
		echo.put("rawHeaders", rawHeaders);
		echo.put("cgi", cgi);
		echo.put("body", body);
		return JSON.writeValueAsString(echo);
	}

	/** {@code HTTP_} and the name upper-cased with every other character than a letter or digit read as {@code _}. */
	static String cgiName(String header) {
		StringBuilder name = new StringBuilder("HTTP_");
		header.chars().forEach((c) -> name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase((char) c) : '_'));
		return name.toString();
	}

	/** How many requests reached this backend since it started. */
	public long requestCount() {
		return this.requests.get();
	}

	public String uri() {
		return "http://127.0.0.1:" + this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
