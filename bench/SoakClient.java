import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of bench/soak.sh (issue 12): CONNECTIONS threads on keep-alive connections to both replicas, for
 * SECONDS, together at most RATE requests a second (paced, so that a latency is the gateway's and not the queue of a
 * saturated machine; 0: as fast as answered); every request alternates between the replicas, nine in ten are proxied GETs with one of the tokens issued
 * at the start, one in ten a client_credentials token request. A request whose connection is refused (its replica
 * was killed) is sent to the other replica at once, as a load balancer does, and counted apart. Writes one line per
 * answer to OUT: {@code <epoch ms at start> <replica index> <P|T> <status> <latency µs>}; JDK only:
 *   java bench/SoakClient.java SECONDS CONNECTIONS RATE OUT TOKENS_FILE CLIENT_ID SECRET URL_A URL_B
 */
public class SoakClient {

	public static void main(String[] args) throws Exception {
		long seconds = Long.parseLong(args[0]);
		int connections = Integer.parseInt(args[1]);
		int rate = Integer.parseInt(args[2]);
		long interval = (rate > 0) ? connections * 1_000_000_000L / rate : 0;
		Path out = Path.of(args[3]);
		List<String> tokens = Files.readAllLines(Path.of(args[4])).stream().filter((line) -> !line.isBlank()).toList();
		String tokenForm = "grant_type=client_credentials&client_id=" + args[5] + "&client_secret=" + args[6];
		List<URI> replicas = List.of(URI.create(args[7]), URI.create(args[8]));
		long end = System.currentTimeMillis() + seconds * 1000;
		AtomicLong refused = new AtomicLong();
		List<HttpClient> clients = List.of(client(), client());
		List<Thread> threads = new ArrayList<>();
		List<StringBuilder> lines = new ArrayList<>();
		for (int t = 0; t < connections; t++) {
			int thread = t;
			StringBuilder log = new StringBuilder(1 << 20);
			lines.add(log);
			Thread worker = new Thread(() -> {
				long n = thread;
				long next = System.nanoTime();
				while (System.currentTimeMillis() < end) {
					n++;
					next = pace(next, interval);
					int replica = (int) (n % 2);
					boolean token = n % 10 == 0;
					HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30));
					if (token) {
						request.uri(replicas.get(replica).resolve("/Api/access_token"))
							.header("Content-Type", "application/x-www-form-urlencoded")
							.POST(HttpRequest.BodyPublishers.ofString(tokenForm));
					}
					else {
						request.uri(replicas.get(replica).resolve("/Api/V8/module/Accounts"))
							.header("Authorization", "Bearer " + tokens.get((int) (n % tokens.size())))
							.GET();
					}
					for (int attempt = 0; attempt < 2; attempt++) {
						long started = System.currentTimeMillis();
						long startedNanos = System.nanoTime();
						try {
							HttpResponse<byte[]> response = clients.get(replica)
								.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
							long micros = (System.nanoTime() - startedNanos) / 1000;
							synchronized (log) {
								log.append(started).append(' ').append(replica).append(' ').append(token ? 'T' : 'P')
									.append(' ').append(response.statusCode()).append(' ').append(micros).append('\n');
							}
							break;
						}
						catch (ConnectException ex) {
							// the replica is down: the other one gets the request
							refused.incrementAndGet();
							replica = 1 - replica;
							String path = request.build().uri().getPath();
							request.uri(replicas.get(replica).resolve(path));
							sleepQuietly(attempt);
						}
						catch (IOException ex) {
							// the connection broke mid-request (the replica was killed): no answer
							synchronized (log) {
								log.append(started).append(' ').append(replica).append(' ').append(token ? 'T' : 'P')
									.append(" 0 ").append((System.nanoTime() - startedNanos) / 1000).append('\n');
							}
							break;
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							return;
						}
					}
				}
			}, "soak-" + t);
			threads.add(worker);
			worker.start();
		}
		for (Thread worker : threads) {
			worker.join();
		}
		try (BufferedWriter writer = Files.newBufferedWriter(out)) {
			for (StringBuilder log : lines) {
				writer.append(log);
			}
		}
		System.out.println("connections refused (sent to the other replica): " + refused.get());
	}

	private static HttpClient client() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
	}

	/** Waits for the next request's turn; a thread that fell behind starts again from now (no burst). */
	private static long pace(long next, long interval) {
		if (interval == 0) {
			return next;
		}
		long now = System.nanoTime();
		if (next - now > 0) {
			try {
				Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return next + interval;
		}
		return now + interval;
	}

	private static void sleepQuietly(int attempt) {
		if (attempt > 0) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
