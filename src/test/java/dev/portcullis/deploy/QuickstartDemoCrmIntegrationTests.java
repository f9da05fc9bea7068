package dev.portcullis.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.portcullis.support.TestGateways;
import dev.portcullis.support.TestPorts;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quickstart: the demo CRM, run from source with the JDK as the README says
 * ({@code java deploy/demo-upstream/DemoCrm.java}), behind a gateway with the quickstart's client. A call without a
 * token is refused and never reaches it; a call with one reaches it with the caller's identity.
 */
class QuickstartDemoCrmIntegrationTests {

	@Test
	void quickstartWhenDemoCrmBehindGatewayThenTokenlessCallRefusedAndTokenCallAnsweredWithIdentity() throws Exception {
		int crmPort = TestPorts.free();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process crm = new ProcessBuilder(java, "deploy/demo-upstream/DemoCrm.java", String.valueOf(crmPort))
			.redirectErrorStream(true)
			.start();
		BlockingQueue<String> crmLines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> readLines(crm, crmLines), "demo-crm-output");
		reader.setDaemon(true);
		reader.start();
		try (ConfigurableApplicationContext gateway = TestGateways.start(List.of("server.port=0",
				"portcullis.store=memory", "portcullis.secrets.bcrypt-strength=4",
				"portcullis.upstream.uri=http://127.0.0.1:" + crmPort, "portcullis.bootstrap.clients[0].id=demo",
				"portcullis.bootstrap.clients[0].name=Demo", "portcullis.bootstrap.clients[0].secret=demo-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials,password"))) {
			TestPorts.awaitOpen(crmPort, Duration.ofSeconds(30), "the demo CRM");
			WebTestClient client = TestGateways.client(gateway);

			client.get().uri("/Api/V8/module/Accounts").exchange().expectStatus().isUnauthorized();
			String token = TestGateways.clientCredentialsToken(gateway, "demo", "demo-secret");
			String accounts = client.get()
				.uri("/Api/V8/module/Accounts")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();

			assertThat(accounts).contains("Acme Corporation");
			String line;
			do {
				line = crmLines.poll(10, TimeUnit.SECONDS);
				assertThat(line).as("the demo CRM's request line").isNotNull();
			}
			while (!line.startsWith("Demo CRM: GET"));
			assertThat(line).as("only the call with a token reached it")
				.isEqualTo("Demo CRM: GET /Api/V8/module/Accounts -> 200 (X-Auth-Subject: demo, X-Auth-Client-Id: demo, "
						+ "X-Auth-Scopes: )");
		}
		finally {
			crm.destroy();
			crm.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static void readLines(Process process, BlockingQueue<String> lines) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			reader.lines().forEach(lines::add);
		}
		catch (IOException ended) {
			// the process was stopped
		}
	}
}
