package dev.portcullis.config;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection limits a gateway gets without configuration, as a reverse proxy would set them, and the values it
 * refuses. The integration tests run with shorter ones, so only this notices a default that went missing.
 */
class ServerDefaultsTests {

	@Test
	void serverWhenNotConfiguredThenHeaderReadTimeoutAndConnectionCap() {
		PortcullisProperties.Server server = new PortcullisProperties().getServer();

		assertThat(server.getHeaderReadTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(server.getMaxConnections()).isEqualTo(10000);
	}

	@Test
	void serverWhenZeroTimeoutOrNoConnectionsThenInvalid() {
		PortcullisProperties properties = new PortcullisProperties();
		properties.getServer().setHeaderReadTimeout(Duration.ZERO);
		properties.getServer().setMaxConnections(0);

		try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
			assertThat(validation.getValidator().validate(properties))
				.extracting((violation) -> violation.getPropertyPath().toString())
				.containsExactlyInAnyOrder("server.headerReadTimeout", "server.maxConnections");
		}
	}

	@Test
	void idleTimeoutWhenApplicationYmlThenSixtySeconds() throws IOException {
		List<PropertySource<?>> applicationYml = new YamlPropertySourceLoader().load("application.yml",
				new ClassPathResource("application.yml"));
		Binder binder = new Binder(ConfigurationPropertySources.from(applicationYml));

		assertThat(binder.bind("server.netty.idle-timeout", Duration.class).orElse(null))
			.isEqualTo(Duration.ofSeconds(60));
	}

}
