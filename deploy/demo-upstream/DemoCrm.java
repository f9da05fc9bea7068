import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in CRM for the README's quickstart, run from source with the JDK alone (no build, no other install):
 * {@code java deploy/demo-upstream/DemoCrm.java [port]} (default 8090, loopback only). It answers GET for the files
 * beside it (such as {@code /Api/V8/module/Accounts}, the same document the docker-compose demo CRM serves) and
 * prints, for each request, the identity the gateway told it, so a newcomer sees what a backend ends up believing.
 * Not part of the gateway: nothing in the packaged jar refers to it.
 */
public final class DemoCrm {

	public static void main(String[] args) throws IOException, URISyntaxException {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 8090;
		// run from source, the class's code source is this file: serve the folder it is in, wherever it is run from
		Path root = Path.of(DemoCrm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		server.createContext("/", (exchange) -> answer(exchange, root));
		server.start();
		System.out.println("Demo CRM on http://127.0.0.1:" + port + " serving " + root);
	}

	private static void answer(HttpExchange exchange, Path root) throws IOException {
		String path = exchange.getRequestURI().getPath();
		Path file = root.resolve(path.substring(1)).normalize();
		boolean found = "GET".equals(exchange.getRequestMethod()) && file.startsWith(root) && Files.isRegularFile(file)
				&& !file.getFileName().toString().endsWith(".java");
		System.out.printf("Demo CRM: %s %s -> %d (X-Auth-Subject: %s, X-Auth-Client-Id: %s, X-Auth-Scopes: %s)%n",
				exchange.getRequestMethod(), path, found ? 200 : 404,
				exchange.getRequestHeaders().getFirst("X-Auth-Subject"),
				exchange.getRequestHeaders().getFirst("X-Auth-Client-Id"),
				exchange.getRequestHeaders().getFirst("X-Auth-Scopes"));
		byte[] body = found ? Files.readAllBytes(file) : "{\"errors\":[{\"status\":\"404\"}]}".getBytes();
		exchange.getResponseHeaders().set("Content-Type", "application/vnd.api+json");
		exchange.sendResponseHeaders(found ? 200 : 404, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}
