package dev.portcullis.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Plain Spring Cloud Gateway for bench/run.sh: the one route of application.yml, no security, framework defaults
 * otherwise. What Portcullis's proxied request costs is compared with this.
 */
@SpringBootApplication
public class PlainGateway {

	public static void main(String[] args) {
		SpringApplication.run(PlainGateway.class, args);
	}

}
