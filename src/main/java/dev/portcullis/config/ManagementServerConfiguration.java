package dev.portcullis.config;

import dev.portcullis.web.server.ConnectionLimits;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.WebFilter;

/**
 * The management port's own server (a child context, when {@code management.server.port} differs from the
 * gateway's port, as it does by default): it answers the actuator's paths only (its handler would otherwise also
 * serve the gateway's endpoints, the token endpoint among them, beside the gateway's port), and its connections get
 * the same limits as the gateway's (header-read timeout, connection cap).
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementServerConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WebFilter onlyTheActuator(WebEndpointProperties endpoints) {
		String basePath = endpoints.getBasePath();
		return (exchange, chain) -> {
			String path = exchange.getRequest().getPath().pathWithinApplication().value();
			if (path.equals(basePath) || path.startsWith(basePath + "/")) {
				return chain.filter(exchange);
			}
			exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
			return exchange.getResponse().setComplete();
		};
	}

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementConnectionLimits(PortcullisProperties properties) {
		PortcullisProperties.Server server = properties.getServer();
		ConnectionLimits limits = new ConnectionLimits(server.getHeaderReadTimeout(), server.getMaxConnections());
		return (factory) -> factory.addServerCustomizers(limits);
	}

}
