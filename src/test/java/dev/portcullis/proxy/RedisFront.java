package dev.portcullis.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A TCP front for a test's redis-server, on a port of its own, that can fail in the ways Redis fails in production
 * but cannot easily be made to on one machine. The gateway connects to the front, not to Redis:
 * <ul>
 * <li>{@link #relay()}: passes every byte through to the real server (faults made on it, such as {@code DEBUG SLEEP},
 * {@code CLIENT PAUSE}, {@code REPLICAOF} or a kill, reach the gateway as they are);</li>
 * <li>{@link #reply(String)}: answers every command with one error reply, as a server still loading its data
 * ({@code LOADING}), a cluster without a slot ({@code CLUSTERDOWN}) or a busy script ({@code BUSY}) does, after a
 * handshake as an old Redis gives it (so that the client connects);</li>
 * <li>{@link #refuse()}: nothing listens on the port, connections are refused.</li>
 * </ul>
 * Each switch resets the connections that are open (TCP RST), as a crashed server or a failover does; the client
 * reconnects to whatever the front is then.
 */
final class RedisFront implements AutoCloseable {

	private static final Set<String> HANDSHAKE = Set.of("CLIENT", "SELECT", "AUTH", "READONLY");

	private final int port;

	private final int redisPort;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile @Nullable String errorReply;

	private volatile @Nullable ServerSocket listener;

	RedisFront(int redisPort) throws IOException {
		this.redisPort = redisPort;
		try (ServerSocket probe = new ServerSocket(0)) {
			this.port = probe.getLocalPort();
		}
		listen();
	}

	String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Passes everything through to the real server. */
	synchronized void relay() throws IOException {
		this.errorReply = null;
		resetConnections();
		listen();
	}

	/** Answers every command with {@code -<error>}, e.g. {@code LOADING Redis is loading the dataset in memory}. */
	synchronized void reply(String error) throws IOException {
		this.errorReply = error;
		resetConnections();
		listen();
	}

	/** Stops listening: connections are refused, as when Redis is down. */
	synchronized void refuse() throws IOException {
		ServerSocket listening = this.listener;
		this.listener = null;
		if (listening != null) {
			listening.close();
		}
		resetConnections();
	}

	/** Resets the open connections, as a server killed mid-command does. */
	void resetConnections() {
		for (Socket socket : List.copyOf(this.open)) {
			reset(socket);
		}
	}

	private void listen() throws IOException {
		if (this.listener != null) {
			return;
		}
		ServerSocket listening = new ServerSocket();
		listening.setReuseAddress(true);
		listening.bind(new InetSocketAddress("127.0.0.1", this.port));
		this.listener = listening;
		daemon("redis-front-accept", () -> accept(listening));
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			try {
				Socket client = listening.accept();
				this.open.add(client);
				String error = this.errorReply;
				if (error == null) {
					relay(client);
				}
				else {
					daemon("redis-front-reply", () -> answer(client, error));
				}
			}
			catch (IOException ex) {
				// closed by refuse()
			}
		}
	}

	private void relay(Socket client) {
		try {
			Socket redis = new Socket("127.0.0.1", this.redisPort);
			this.open.add(redis);
			pump(client, redis);
			pump(redis, client);
		}
		catch (IOException ex) {
			// the real server is down: the client sees its connection reset
			reset(client);
		}
	}

	private void pump(Socket from, Socket to) {
		daemon("redis-front-relay", () -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream()) {
				OutputStream out = to.getOutputStream();
				for (int read; (read = in.read(buffer)) >= 0;) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side went away
			}
			reset(from);
			reset(to);
		});
	}

	/** RESP2 as Redis 5 speaks it: no HELLO, so the client falls back to RESP2. */
	private void answer(Socket client, String error) {
		try (InputStream in = new BufferedInputStream(client.getInputStream())) {
			OutputStream out = client.getOutputStream();
			for (List<String> command; (command = readCommand(in)) != null;) {
				String name = command.isEmpty() ? "" : command.get(0).toUpperCase(Locale.ROOT);
				String answer = switch (name) {
					case "HELLO" -> "-ERR unknown command 'HELLO'\r\n";
					case "PING" -> "+PONG\r\n";
					default -> HANDSHAKE.contains(name) ? "+OK\r\n" : "-" + error + "\r\n";
				};
				out.write(answer.getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
		}
		catch (IOException ex) {
			// reset by a switch, or the client went away
		}
		reset(client);
	}

	private static @Nullable List<String> readCommand(InputStream in) throws IOException {
		String header = readLine(in);
		if (header == null) {
			return null;
		}
		if (!header.startsWith("*")) {
			// an inline command
			return List.of(header.split(" "));
		}
		int count = Integer.parseInt(header.substring(1));
		List<String> arguments = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String length = readLine(in);
			if (length == null) {
				return null;
			}
			byte[] argument = in.readNBytes(Integer.parseInt(length.substring(1)) + 2);
			arguments.add(new String(argument, 0, Math.max(0, argument.length - 2), StandardCharsets.UTF_8));
		}
		return arguments;
	}

	private static @Nullable String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b; (b = in.read()) >= 0;) {
			if (b == '\n') {
				int end = line.length();
				return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
			}
			line.append((char) b);
		}
		return null;
	}

	private void reset(Socket socket) {
		this.open.remove(socket);
		try {
			// an RST, not a FIN: what the client sees when the server process dies or the network breaks
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		refuse();
	}

}
