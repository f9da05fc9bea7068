package dev.portcullis.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Spring Cloud Gateway behind a Spring Security resource server, as a Spring team would set it up, for bench/run.sh:
 * the route of application.yml, every exchange authenticated with a JWT bearer token, verified with the RSA public
 * key of spring.security.oauth2.resourceserver.jwt.public-key-location. Boot's decoder for a public key checks the
 * RS256 signature and exp/nbf (no issuer or audience unless configured), so Portcullis's tokens are accepted.
 */
@SpringBootApplication
public class ResourceServerGateway {

	public static void main(String[] args) {
		SpringApplication.run(ResourceServerGateway.class, args);
	}

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
			.build();
	}

}
