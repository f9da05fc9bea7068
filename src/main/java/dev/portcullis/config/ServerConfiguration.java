package dev.portcullis.config;

import dev.portcullis.web.OAuth2ResponseWriter;
import dev.portcullis.web.StoreUnavailableWebExceptionHandler;
import dev.portcullis.web.server.ConnectionLimits;
import dev.portcullis.web.server.RequestBodyDeadline;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's HTTP server: limits on client connections that Reactor Netty does not set by itself (a header-read
 * timeout, a deadline for the bodies the gateway reads itself, and a cap on open connections). The idle timeout between requests is Spring Boot's
 * {@code server.netty.idle-timeout}, set in application.yml.
 */
@Configuration(proxyBeanMethods = false)
public class ServerConfiguration {

	@Bean
	RequestBodyDeadline requestBodyDeadline(PortcullisProperties properties) {
		return new RequestBodyDeadline(properties.getServer().getBodyReadTimeout());
	}

	@Bean
	ConnectionLimits connectionLimits(PortcullisProperties properties) {
		PortcullisProperties.Server server = properties.getServer();
		return new ConnectionLimits(server.getHeaderReadTimeout(), server.getMaxConnections());
	}

	/** 503 with {@code Retry-After} for whatever request the store's unavailability failed. */
	@Bean
	StoreUnavailableWebExceptionHandler storeUnavailableWebExceptionHandler(OAuth2ResponseWriter writer) {
		return new StoreUnavailableWebExceptionHandler(writer);
	}

}
