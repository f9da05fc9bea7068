package dev.portcullis.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 client on a plain {@link Socket}, for tests that must control every byte and every pause: a request
 * head sent one byte at a time, a connection left silent, a body written in chunks with pauses. Answers are parsed
 * just enough to assert on (status, headers, body with a length or chunked).
 */
public final class RawHttpConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final long openedNanos;

	private RawHttpConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
		this.openedNanos = System.nanoTime();
	}

	/** Connects to the port on the loopback address. */
	public static RawHttpConnection open(int port) throws IOException {
		return open(port, "127.0.0.1");
	}

	/** Connects to the port on the loopback address from {@code localAddress} (any of 127/8): a client of its own. */
	public static RawHttpConnection open(int port, String localAddress) throws IOException {
		Socket socket = new Socket();
		socket.bind(new InetSocketAddress(localAddress, 0));
		socket.connect(new InetSocketAddress("127.0.0.1", port));
		socket.setTcpNoDelay(true);
		socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
		return new RawHttpConnection(socket);
	}

	/** Time since the connection was opened. */
	public Duration sinceOpened() {
		return Duration.ofNanos(System.nanoTime() - this.openedNanos);
	}

	public void send(String text) throws IOException {
		send(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length());
	}

	public void send(byte[] bytes, int offset, int length) throws IOException {
		this.out.write(bytes, offset, length);
		this.out.flush();
	}

	/**
	 * Sends the text one byte at a time, a pause after each, until all is sent, or the server has sent something
	 * (an answer or the end of the connection), or a write fails.
	 * @return how many bytes were sent
	 */
	public int drip(String text, Duration interval) throws InterruptedException {
		byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
		for (int sent = 0; sent < bytes.length; sent++) {
			try {
				if (this.in.available() > 0) {
					return sent;
				}
				send(bytes, sent, 1);
			}
			catch (IOException ex) {
				return sent;
			}
			Thread.sleep(interval.toMillis());
		}
		return bytes.length;
	}

	/**
	 * Reads one response.
	 * @throws AssertionError if the server closed the connection without answering
	 */
	public Response readResponse() throws IOException {
		String statusLine;
		try {
			statusLine = readLine();
		}
		catch (SocketException ex) {
			throw new AssertionError("Connection ended without an answer (" + ex.getMessage() + ") "
					+ sinceOpened().toMillis() + " ms after it was opened");
		}
		if (statusLine == null) {
			throw new AssertionError(
					"Connection closed without an answer " + sinceOpened().toMillis() + " ms after it was opened");
		}
		int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		byte[] body;
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = readChunked();
		}
		else if (headers.containsKey("content-length")) {
			body = this.in.readNBytes(Integer.parseInt(headers.get("content-length")));
		}
		else {
			body = this.in.readAllBytes();
		}
		return new Response(status, headers, body);
	}

	/**
	 * Waits until the server ends the connection.
	 * @return what was received before the end
	 * @throws AssertionError if the connection is still open after {@code max}
	 */
	public Closed awaitClose(Duration max) throws IOException {
		this.socket.setSoTimeout((int) max.toMillis());
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[1024];
		try {
			for (int read = this.in.read(buffer); read >= 0; read = this.in.read(buffer)) {
				received.write(buffer, 0, read);
			}
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("Connection still open " + sinceOpened().toMillis() + " ms after it was opened");
		}
		catch (SocketException ex) {
			// reset: ended as well
		}
		return new Closed(System.nanoTime(), received.toString(StandardCharsets.ISO_8859_1));
	}

	private byte[] readChunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (String size = readLine(); size != null; size = readLine()) {
			int length = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
			if (length == 0) {
				// trailers, then the empty line
				for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
				}
				break;
			}
			body.write(this.in.readNBytes(length));
			readLine();
		}
		return body.toByteArray();
	}

	private @Nullable String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b = this.in.read();
		if (b < 0) {
			return null;
		}
		while (b >= 0 && b != '\n') {
			line.write(b);
			b = this.in.read();
		}
		String text = line.toString(StandardCharsets.ISO_8859_1);
		return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** A response: the status, the headers by lower-case name, the body. */
	public record Response(int status, Map<String, String> headers, byte[] body) {

		public @Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		public String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/** The end of a connection: when it was seen, and what arrived before it. */
	public record Closed(long atNanos, String received) {

		/** Time from {@code startNanos} (a {@link System#nanoTime()}) to the end. */
		public Duration since(long startNanos) {
			return Duration.ofNanos(this.atNanos - startNanos);
		}

	}

}
