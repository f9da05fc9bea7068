package dev.portcullis.proxy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A redis-server from {@code PATH} that a test owns, on a fixed loopback port and with its data file in a folder of
 * the test, so that the test can take it down and bring it back on the same port with the same data: Redis saves no
 * snapshot on its own ({@code --save ''}), but {@code SHUTDOWN SAVE} writes one and a restart with the same folder
 * loads it. That is an outage as clients see it (connections refused) without losing the stored tokens. Every write
 * also goes to an append-only file synced at once, so that a {@link #kill()} loses nothing either; {@code DEBUG} is
 * enabled, for {@code DEBUG SLEEP}.
 */
final class RedisServerProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private final String binary;

	private final int port;

	private final Path directory;

	private @Nullable Process process;

	private RedisServerProcess(String binary, int port, Path directory) {
		this.binary = binary;
		this.port = port;
		this.directory = directory;
	}

	/** Starts a server on a free port, keeping its snapshot in {@code directory}. */
	static RedisServerProcess start(Path directory) throws IOException, InterruptedException {
		String binary = onPath("redis-server");
		if (binary == null) {
			throw new IllegalStateException("This test runs its own redis-server and needs it on PATH");
		}
		RedisServerProcess redis = new RedisServerProcess(binary, freePort(), directory);
		redis.restart();
		return redis;
	}

	String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	int port() {
		return this.port;
	}

	/** Starts the server (again) on the same port and folder, loading the snapshot if there is one. */
	void restart() throws IOException, InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			throw new IllegalStateException("redis-server is running already");
		}
		this.process = new ProcessBuilder(List.of(this.binary, "--port", String.valueOf(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--enable-debug-command",
				"yes", "--dir", this.directory.toString(), "--dbfilename", "dump.rdb"))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
			.start();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!isListening()) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited with status " + this.process.exitValue() + ": "
						+ Files.readString(this.directory.resolve("redis.log")));
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("redis-server did not listen on " + this.port + " within " + STARTUP_TIMEOUT);
			}
			Thread.sleep(20);
		}
	}

	/**
	 * Stops the server as an outage would, but with a snapshot of its data: {@code SHUTDOWN SAVE}, then waits until
	 * the process has exited and the port refuses connections.
	 */
	void shutdownSavingData() throws IOException, InterruptedException {
		Process running = this.process;
		if (running == null || !running.isAlive()) {
			throw new IllegalStateException("redis-server is not running");
		}
		try (Socket socket = new Socket("127.0.0.1", this.port); OutputStream out = socket.getOutputStream()) {
			// the inline command form; on success Redis closes the connection without an answer
			out.write("SHUTDOWN SAVE\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.getInputStream().read();
		}
		if (!running.waitFor(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("redis-server did not exit after SHUTDOWN SAVE");
		}
		if (!Files.exists(this.directory.resolve("dump.rdb"))) {
			throw new IllegalStateException("SHUTDOWN SAVE wrote no snapshot: " + Files.readString(this.directory.resolve("redis.log")));
		}
		if (isListening()) {
			throw new IllegalStateException("port " + this.port + " still accepts connections");
		}
	}

	/** Kills the server ({@code SIGKILL}), as a crash or an OOM killer does, and waits until it is gone. */
	void kill() throws InterruptedException {
		Process running = this.process;
		if (running == null || !running.isAlive()) {
			throw new IllegalStateException("redis-server is not running");
		}
		running.destroyForcibly();
		if (!running.waitFor(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("redis-server did not die");
		}
	}

	/**
	 * Sends one command on a connection of its own and returns the first line of the reply ({@code +OK},
	 * {@code -ERR ...}); the arguments must not contain spaces.
	 */
	String command(String... arguments) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream().write((String.join(" ", arguments) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			StringBuilder line = new StringBuilder();
			for (int b; (b = socket.getInputStream().read()) >= 0 && b != '\n';) {
				line.append((char) b);
			}
			return line.toString().strip();
		}
	}

	private boolean isListening() {
		try (Socket ignored = new Socket("127.0.0.1", this.port)) {
			return true;
		}
		catch (IOException refused) {
			return false;
		}
	}

	@Override
	public void close() throws InterruptedException {
		Process running = this.process;
		if (running != null && running.isAlive()) {
			running.destroy();
			if (!running.waitFor(5, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
	}

	private static @Nullable String onPath(String name) {
		for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, name))) {
				return Path.of(folder, name).toString();
			}
		}
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
