package dev.portcullis.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/**
 * Loopback ports for tests that start servers of their own (a Redis Sentinel, the demo CRM, a gateway on a fixed
 * port).
 */
public final class TestPorts {

	private TestPorts() {
	}

	/** A port free at the moment of asking. */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Returns once a connection to the loopback port is accepted; fails the test after {@code timeout}. */
	public static void awaitOpen(int port, Duration timeout, String what) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException notYet) {
				sleep();
			}
		}
		throw new AssertionError(what + " did not open port " + port + " within " + timeout);
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

}
