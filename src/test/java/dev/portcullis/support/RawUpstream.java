package dev.portcullis.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A backend that records the raw bytes of every request it receives and whether the request arrived whole (the
 * head, then a body ended as its framing says: {@code Content-Length} bytes, or chunks up to the last one) or was
 * cut off by the peer closing the connection. A whole request is answered {@code 200 {}}. For tests of what the
 * backend sees when the client's request breaks.
 */
public final class RawUpstream implements AutoCloseable {

	private final ServerSocket server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	public RawUpstream() {
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		daemon(this::accept);
	}

	/** What one connection carried. */
	public record Received(String bytes, boolean whole) {
	}

	public String uri() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	/** Every connection that ended so far, in the order they ended. */
	public List<Received> received() {
		return List.copyOf(this.received);
	}

	/** Waits until {@code count} connections ended, or the timeout; returns what was received. */
	public List<Received> awaitReceived(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.received.size() < count && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(20);
		}
		return received();
	}

	private static Thread daemon(Runnable task) {
		Thread thread = new Thread(task, "raw-upstream");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				daemon(() -> serve(socket));
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		boolean whole = false;
		try (socket) {
			socket.setSoTimeout(30_000);
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			int read;
			while (!whole && (read = in.read(buffer)) >= 0) {
				bytes.write(buffer, 0, read);
				whole = isWhole(bytes.toByteArray());
			}
			if (whole) {
				socket.getOutputStream()
					.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
						.getBytes(StandardCharsets.US_ASCII));
			}
		}
		catch (SocketException reset) {
			// the peer reset the connection: recorded as cut off
		}
		catch (IOException ex) {
			// a timeout: recorded as cut off
		}
		this.received.add(new Received(bytes.toString(StandardCharsets.ISO_8859_1), whole));
	}

	/** Whether the bytes hold a complete request as its own framing defines it. */
	static boolean isWhole(byte[] raw) {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int headEnd = text.indexOf("\r\n\r\n");
		if (headEnd < 0) {
			return false;
		}
		String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
		String body = text.substring(headEnd + 4);
		if (head.contains("\r\ntransfer-encoding: chunked")) {
			return lastChunkReceived(body);
		}
		int length = head.indexOf("\r\ncontent-length:");
		if (length < 0) {
			return true;
		}
		int valueEnd = head.indexOf("\r\n", length + 2);
		long expected = Long.parseLong(head.substring(length + "\r\ncontent-length:".length(),
				(valueEnd < 0) ? head.length() : valueEnd).trim());
		return body.length() >= expected;
	}

	private static boolean lastChunkReceived(String body) {
		int at = 0;
		while (true) {
			int lineEnd = body.indexOf("\r\n", at);
			if (lineEnd < 0) {
				return false;
			}
			int size;
			try {
				size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
			}
			catch (NumberFormatException ex) {
				return false;
			}
			if (size == 0) {
				return body.indexOf("\r\n\r\n", lineEnd) >= 0 || body.startsWith("\r\n", lineEnd + 2);
			}
			at = lineEnd + 2 + size + 2;
			if (at > body.length()) {
				return false;
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
