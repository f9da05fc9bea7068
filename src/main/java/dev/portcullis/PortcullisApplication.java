package dev.portcullis;

import java.util.Arrays;

import dev.portcullis.migration.ImportCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Portcullis: an OAuth2 authorization server with SuiteCRM's wire format and a gateway that checks its tokens on
 * every proxied CRM request.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
// @SpringBootApplication's scan, but for the management port's own configuration, which must only be loaded into
// that port's child context (config.ManagementServerConfiguration): scanned, it would apply to the gateway's port too
@ComponentScan(excludeFilters = { @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
		@ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
		@ComponentScan.Filter(type = FilterType.ANNOTATION, classes = ManagementContextConfiguration.class) })
@ConfigurationPropertiesScan
public class PortcullisApplication {

	/** The Reactor Netty setting that works around its keep-alive stall; the test JVM sets it too (pom.xml). */
	static final String LAST_FLUSH_WHEN_NO_READ = "reactor.netty.http.server.lastFlushWhenNoRead";

	/** Reactor Netty's number of event loops, shared by the server and the client to the backends. */
	static final String IO_WORKER_COUNT = "reactor.netty.ioWorkerCount";

	static {
		// Reactor Netty 1.3.6 can stop reading a keep-alive connection whose next request arrives before the previous
		// exchange has terminated: the client waits until it gives up (reactor/reactor-netty#4361, fixed by #4347).
		// This setting makes the server dispatch such a request at once. Read once, when Netty's HTTP server classes
		// load, so it must be set before them; an explicit -D wins.
		if (System.getProperty(LAST_FLUSH_WHEN_NO_READ) == null) {
			System.setProperty(LAST_FLUSH_WHEN_NO_READ, "true");
		}
		// One event loop per core: nothing blocks them, so more loops than cores (Reactor Netty's default is at
		// least 4) only add context switches and cross-loop hand-offs; on one core that cost 15% of the throughput.
		if (System.getProperty(IO_WORKER_COUNT) == null) {
			System.setProperty(IO_WORKER_COUNT, String.valueOf(Runtime.getRuntime().availableProcessors()));
		}
	}

	/** The gateway; or, with {@code import …} as the arguments, a one-shot import ({@link ImportCommand}). */
	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("import")) {
			System.exit(ImportCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
		}
		SpringApplication.run(PortcullisApplication.class, args);
	}

}
