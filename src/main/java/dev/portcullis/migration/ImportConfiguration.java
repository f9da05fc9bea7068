package dev.portcullis.migration;

import dev.portcullis.admin.AdministratorsGuard;
import dev.portcullis.admin.AuditTrail;
import dev.portcullis.admin.ClientAdministration;
import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.config.AdministrationConfiguration;
import dev.portcullis.config.PortcullisProperties;
import dev.portcullis.config.StoreConfiguration;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.PasswordHasher;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * The import's own small application context: the gateway's stores, configured by the same properties
 * ({@code portcullis.store}, {@code portcullis.redis.*}, {@code spring.data.redis.*}), and its administration layer,
 * nothing else. No component scan and no auto-configuration beyond Redis's: no web server, no routes, no bootstrap
 * (first administrator, configured clients), no signing key.
 *
 * <p>Not a {@code @Configuration}: the gateway's component scan covers this package, and must not pick this up (its
 * beans would clash with the gateway's own). Given to {@code SpringApplication} as its source, it is processed all
 * the same.
 */
@EnableConfigurationProperties(PortcullisProperties.class)
@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class })
@Import({ StoreConfiguration.class, AdministrationConfiguration.class })
class ImportConfiguration {

	/** The administration layer's, and the import's: it puts a bare MD5 under bcrypt and judges bcrypt costs. */
	@Bean
	@Primary
	PasswordHasher passwordHasher(PortcullisProperties properties) {
		return new PasswordHasher(properties.getSecrets().getBcryptStrength());
	}

	/** The administration layer's for user passwords, as the gateway's. */
	@Bean
	PasswordHasher userPasswordHasher(PortcullisProperties properties) {
		return new PasswordHasher(properties.getSecrets().getBcryptStrength(),
				properties.getSecrets().getUserPasswordHash());
	}

	@Bean
	HashingPool hashingPool() {
		return new HashingPool(Schedulers.boundedElastic(), 1, 0);
	}

	@Bean
	SuiteCrmImport suiteCrmImport(UserStore users, ClientStore clients, ClientAdministration clientAdministration,
			AdministratorsGuard administratorsGuard, GrantAdministration grantAdministration, AuditTrail auditTrail,
			PasswordHasher passwordHasher) {
		return new SuiteCrmImport(users, clients, clientAdministration, administratorsGuard, grantAdministration,
				auditTrail, passwordHasher);
	}

}
