package dev.portcullis.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer in front of several gateways, as small as a test needs: one origin for the browser (so that one
 * session cookie goes to every replica), forwarding each TCP connection to the replica chosen at the time. Switching
 * closes the open connections, so the browser's next request, even on a kept-alive connection, reaches the newly
 * chosen replica. Counts the connections each replica was given.
 */
public final class SwitchingProxy implements AutoCloseable {

	private final ServerSocket server;

	private volatile int target;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final Map<Integer, AtomicInteger> connections = new ConcurrentHashMap<>();

	public SwitchingProxy(int firstTarget) throws IOException {
		this.target = firstTarget;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "switching-proxy");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** From now on, connections go to {@code port}; the open ones are closed. */
	public void switchTo(int port) {
		this.target = port;
		for (Socket socket : this.open) {
			close(socket);
		}
	}

	/** How many connections went to {@code port}. */
	public int connectionsTo(int port) {
		AtomicInteger count = this.connections.get(port);
		return (count != null) ? count.get() : 0;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				int port = this.target;
				Socket backend = new Socket();
				backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
				this.connections.computeIfAbsent(port, (key) -> new AtomicInteger()).incrementAndGet();
				this.open.add(client);
				this.open.add(backend);
				pump(client, backend);
				pump(backend, client);
			}
			catch (IOException ex) {
				// closed, or the replica refused: the browser sees a closed connection
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			finally {
				close(from);
				close(to);
			}
		}, "switching-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private void close(Socket socket) {
		this.open.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.open) {
			close(socket);
		}
	}

}
