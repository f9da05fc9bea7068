import java.time.Duration;

import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The floor under Portcullis's proxied request: Reactor Netty, the HTTP server and client Portcullis runs on,
 * forwarding each request (method, path, headers, body) to the upstream and the answer back, with no check and no
 * framework around it. bench/run.sh measures it beside Portcullis; the difference is what Spring WebFlux, Spring
 * Cloud Gateway, Spring Security and the token check add.
 *   java -cp 'extracted/lib/*' bench/NettyProxy.java <port> <upstream base URL>
 */
public class NettyProxy {

	public static void main(String[] args) {
		int port = Integer.parseInt(args[0]);
		HttpClient client = HttpClient.create(ConnectionProvider.create("upstream", 500))
			.baseUrl(args[1])
			.responseTimeout(Duration.ofSeconds(30));
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.handle((request, response) -> client.headers((headers) -> headers.set(request.requestHeaders()))
				.request(request.method())
				.uri(request.uri())
				.send(request.receive().retain())
				.response((upstream, body) -> response.status(upstream.status())
					.headers(upstream.responseHeaders())
					.send(body.retain())))
			.bindNow();
		System.out.println("listening on " + server.port());
		server.onDispose().block();
	}

}
