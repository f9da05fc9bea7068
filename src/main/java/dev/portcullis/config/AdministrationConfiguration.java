package dev.portcullis.config;

import dev.portcullis.admin.AdministrationAccess;
import dev.portcullis.admin.AdministratorsGuard;
import dev.portcullis.admin.ClientPolicy;
import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.UserLookup;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.UserStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The administration application layer, which the admin API, the pages and bootstrap share.
 */
@Configuration(proxyBeanMethods = false)
public class AdministrationConfiguration {

	@Bean
	AdministrationAccess administrationAccess(UserStore users, ClientStore clients) {
		return new AdministrationAccess(users, clients);
	}

	@Bean
	AdministratorsGuard administratorsGuard(UserStore users) {
		return new AdministratorsGuard(users);
	}

	@Bean
	UserLookup userLookup(UserStore users) {
		return new UserLookup(users);
	}

	@Bean
	ClientPolicy clientPolicy(PortcullisProperties properties) {
		return new ClientPolicy(properties.isAllowHttpRedirectUris());
	}

	@Bean
	GrantAdministration grantAdministration(AuthorizationStore authorizations) {
		return new GrantAdministration(authorizations);
	}

}
