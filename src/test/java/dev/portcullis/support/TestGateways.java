package dev.portcullis.support;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.portcullis.PortcullisApplication;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Whole extra gateways for tests that need more than the shared context: their own Redis, or two replicas.
 */
public final class TestGateways {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private TestGateways() {
	}

	/**
	 * Starts a gateway with these properties (e.g. {@code server.port=0}). It gets Reactor Netty resources of its
	 * own: a context on the default global ones disposes them when it closes, which kills every other server in
	 * this JVM that runs on them, such as the shared test context's {@code EchoUpstream} or another gateway.
	 */
	public static ConfigurableApplicationContext start(List<String> properties) {
		// as command-line arguments: SpringApplicationBuilder.properties(...) are defaults, which application.yml
		// overrides (its server.port: 8080 would win over server.port=0)
		// health and metrics on a port of their own, a free one (application.yml says 8081)
		java.util.List<String> all = new java.util.ArrayList<>();
		if (properties.stream().noneMatch((property) -> property.startsWith("management.server.port="))) {
			all.add("management.server.port=0");
		}
		all.addAll(properties);
		String[] arguments = all.stream().map((property) -> "--" + property).toArray(String[]::new);
		return new SpringApplicationBuilder(PortcullisApplication.class)
			.initializers((context) -> ((GenericApplicationContext) context).registerBean("reactorResourceFactory",
					ReactorResourceFactory.class, () -> {
						ReactorResourceFactory resources = new ReactorResourceFactory();
						resources.setUseGlobalResources(false);
						resources.setShutdownQuietPeriod(Duration.ZERO);
						return resources;
					}))
			.run(arguments);
	}

	public static int port(ConfigurableApplicationContext gateway) {
		return Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
	}

	/** A client of the gateway's management port (health, metrics). */
	public static WebTestClient management(ConfigurableApplicationContext gateway) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + gateway.getEnvironment().getRequiredProperty("local.management.port"))
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/** A client of the gateway on its real port. */
	public static WebTestClient client(ConfigurableApplicationContext gateway) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port(gateway))
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/**
	 * A client of the gateway on {@code port} whose connections come from {@code localAddress}: all of 127/8 is
	 * loopback on Linux, so each test can be a client address of its own for the per-address limits.
	 */
	public static WebTestClient clientFrom(int port, String localAddress) {
		HttpClient httpClient = HttpClient.create().bindAddress(() -> new InetSocketAddress(localAddress, 0));
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(httpClient))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/** A loopback address other than 127.0.0.1, drawn at random, for {@link #clientFrom}. */
	public static String randomLoopbackAddress() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return "127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
	}

	/** A client_credentials access token from the gateway, failing the test unless it is issued. */
	public static String clientCredentialsToken(ConfigurableApplicationContext gateway, String clientId, String secret) {
		return clientCredentialsToken(client(gateway), clientId, secret);
	}

	/** A client_credentials access token from the gateway {@code http} calls, failing the test unless it is issued. */
	public static String clientCredentialsToken(WebTestClient http, String clientId, String secret) {
		return (String) tokenResponse(http, "grant_type=client_credentials&client_id=" + clientId + "&client_secret="
				+ secret).get("access_token");
	}

	/** The token endpoint's answer to a form ({@code grant_type=…&…}), failing the test unless it is 200. */
	public static Map<String, Object> tokenResponse(WebTestClient http, String form) {
		byte[] body = http.post()
			.uri("/Api/access_token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue(form)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return parse(body);
	}

	public static Map<String, Object> parse(byte[] body) {
		return JSON.readValue(body, new TypeReference<Map<String, Object>>() {
		});
	}

}
