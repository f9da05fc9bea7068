package dev.portcullis.deploy;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs here, so the compose file's healthcheck is run as Docker would run it: its exec-form
 * arguments as they are (no {@code /bin/sh}, which is dash on the image and has no {@code /dev/tcp}), with only the
 * management port changed to a test gateway's. A healthcheck that can never pass keeps the container unhealthy.
 */
class DockerComposeHealthcheckTests {

	private static final String COMPOSE_PORT = "/8081";

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void startGateway() {
		gateway = TestGateways.start(List.of("server.port=0", "portcullis.store=memory"));
	}

	@AfterAll
	static void stopGateway() {
		gateway.close();
	}

	@Test
	void healthcheckWhenGatewayReadyThenPasses() throws Exception {
		List<String> command = healthcheck(gateway.getEnvironment().getRequiredProperty("local.management.port"));

		assertThat(command.get(0)).as("exec form: Docker runs CMD-SHELL with /bin/sh").isEqualTo("CMD");
		assertThat(run(command.subList(1, command.size()))).isZero();
	}

	@Test
	void healthcheckWhenNothingListensThenFails() throws Exception {
		String closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = String.valueOf(socket.getLocalPort());
		}
		List<String> command = healthcheck(closedPort);

		assertThat(run(command.subList(1, command.size()))).isNotZero();
	}

	@SuppressWarnings("unchecked")
	private static List<String> healthcheck(String managementPort) throws IOException {
		try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
			Map<String, Object> compose = new Yaml().load(reader);
			Map<String, Object> services = (Map<String, Object>) compose.get("services");
			Map<String, Object> healthcheck = (Map<String, Object>) ((Map<String, Object>) services.get("portcullis"))
				.get("healthcheck");
			List<String> test = (List<String>) healthcheck.get("test");
			assertThat(String.join(" ", test)).contains(COMPOSE_PORT);
			return test.stream().map((argument) -> argument.replace(COMPOSE_PORT, "/" + managementPort)).toList();
		}
	}

	private static int run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		// Docker's own timeout for it is 3 s
		if (!process.waitFor(3, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("healthcheck did not finish within 3 s: " + command);
		}
		return process.exitValue();
	}

}
