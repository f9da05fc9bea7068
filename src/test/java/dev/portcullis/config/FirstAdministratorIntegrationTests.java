package dev.portcullis.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: the generated first administrator's password was printed in the log, which is usually shipped to a log
 * store. It is now taken from configuration, or written to a file only the process's user can read.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstAdministratorIntegrationTests {

	@Test
	void firstStartWhenNoPasswordConfiguredThenWrittenToAnOwnerOnlyFileAndNeverLogged(@TempDir Path directory,
			CapturedOutput output) throws Exception {
		Path file = directory.resolve("first-admin");
		Files.writeString(file, "left over");

		try (ConfigurableApplicationContext gateway = start("portcullis.bootstrap.first-admin.password-file=" + file)) {
			List<String> lines = Files.readAllLines(file);
			assertThat(lines).hasSize(2).first().isEqualTo("username=admin");
			String password = lines.get(1).substring("password=".length());
			assertThat(password).hasSize(24);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
			assertThat(output.getOut()).contains("Its generated password is in " + file).doesNotContain(password);
			TestGateways.client(gateway).get().uri("/admin/api/users").header(HttpHeaders.AUTHORIZATION, basic("admin", password))
				.exchange().expectStatus().isOk();
		}
	}

	@Test
	void firstStartWhenPasswordConfiguredThenThatOneAndNoFile(@TempDir Path directory, CapturedOutput output) {
		Path file = directory.resolve("first-admin");

		try (ConfigurableApplicationContext gateway = start("portcullis.bootstrap.first-admin.password-file=" + file,
				"portcullis.bootstrap.first-admin.username=root",
				"portcullis.bootstrap.first-admin.password=configured-first-password")) {
			assertThat(file).doesNotExist();
			assertThat(output.getOut()).doesNotContain("configured-first-password");
			TestGateways.client(gateway).get().uri("/admin/api/users")
				.header(HttpHeaders.AUTHORIZATION, basic("root", "configured-first-password"))
				.exchange().expectStatus().isOk();
		}
	}

	/** Two administrators deactivating each other at once can leave none active: a restart creates one again. */
	@Test
	void startWhenEveryAdministratorIsDeactivatedThenAFirstAdministratorIsCreatedAgain(@TempDir Path directory) {
		Path file = directory.resolve("first-admin");

		try (ConfigurableApplicationContext gateway = start("portcullis.bootstrap.first-admin.password-file=" + file,
				"portcullis.bootstrap.first-admin.username=recovery",
				"portcullis.bootstrap.first-admin.password=recovery-password",
				"portcullis.bootstrap.users[0].username=ops", "portcullis.bootstrap.users[0].password=ops-password",
				"portcullis.bootstrap.users[0].admin=true", "portcullis.bootstrap.users[0].active=false")) {
			TestGateways.client(gateway).get().uri("/admin/api/users")
				.header(HttpHeaders.AUTHORIZATION, basic("recovery", "recovery-password"))
				.exchange().expectStatus().isOk();
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		List<String> all = new java.util.ArrayList<>(List.of("server.port=0", "portcullis.store=memory",
				"portcullis.secrets.bcrypt-strength=4"));
		all.addAll(List.of(properties));
		return TestGateways.start(all);
	}

	private static String basic(String username, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
