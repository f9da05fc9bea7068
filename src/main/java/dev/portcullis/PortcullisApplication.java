package dev.portcullis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Portcullis: an OAuth2 authorization server with SuiteCRM's wire format and a gateway that checks its tokens on
 * every proxied CRM request.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PortcullisApplication {

	public static void main(String[] args) {
		SpringApplication.run(PortcullisApplication.class, args);
	}

}
