package dev.portcullis.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for an OpenTelemetry collector on a real loopback port: it accepts OTLP/HTTP exports at
 * {@code POST /v1/traces} (any body, protobuf by default) with 200 and keeps every body, so that tests can tell which
 * trace and span ids were exported: an id travels in the protobuf as its raw bytes.
 */
public final class OtlpReceiver implements AutoCloseable {

	private final List<byte[]> exports = new CopyOnWriteArrayList<>();

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	private final HttpServer server;

	public OtlpReceiver() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/v1/traces", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				if ("POST".equals(exchange.getRequestMethod())) {
					this.exports.add(body.readAllBytes());
					exchange.sendResponseHeaders(200, -1);
				}
				else {
					exchange.sendResponseHeaders(405, -1);
				}
			}
			finally {
				exchange.close();
			}
		});
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/** The endpoint to configure: {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
	public String tracesEndpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
	}

	/** How many exports (POST requests) arrived. */
	public int exportCount() {
		return this.exports.size();
	}

	/** Whether any export so far carries this id (a trace or span id in hex, as in {@code traceparent}). */
	public boolean exported(String hexId) {
		// ISO-8859-1 maps each byte to one char, so a byte sequence is found as a substring
		String id = new String(HexFormat.of().parseHex(hexId), StandardCharsets.ISO_8859_1);
		return this.exports.stream().anyMatch((body) -> new String(body, StandardCharsets.ISO_8859_1).contains(id));
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
