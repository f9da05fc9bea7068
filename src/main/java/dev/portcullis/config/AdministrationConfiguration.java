package dev.portcullis.config;

import java.time.Clock;

import dev.portcullis.admin.AdministrationAccess;
import dev.portcullis.admin.AdministratorsGuard;
import dev.portcullis.admin.AuditSearch;
import dev.portcullis.admin.AuditTrail;
import dev.portcullis.admin.ClientAdministration;
import dev.portcullis.admin.ClientLookup;
import dev.portcullis.admin.ClientPolicy;
import dev.portcullis.admin.GrantAdministration;
import dev.portcullis.admin.Names;
import dev.portcullis.admin.Secrets;
import dev.portcullis.admin.UserAdministration;
import dev.portcullis.admin.UserLookup;
import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import dev.portcullis.oauth2.store.AuthorizationStore;
import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.support.HashingPool;
import dev.portcullis.support.PasswordHasher;

import org.springframework.beans.factory.annotation.Qualifier;
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
	ClientLookup clientLookup(ClientStore clients) {
		return new ClientLookup(clients);
	}

	@Bean
	Names names(ClientStore clients, UserStore users) {
		return new Names(clients, users);
	}

	@Bean
	ClientPolicy clientPolicy(PortcullisProperties properties) {
		return new ClientPolicy(properties.isAllowHttpRedirectUris(), properties.getUpstream().getCredentials().keySet());
	}

	@Bean
	AuditTrail auditTrail(AuditLog audit, Clock clock) {
		return new AuditTrail(audit, clock);
	}

	@Bean
	AuditSearch auditSearch(AuditLog audit, ClientStore clients, UserStore users) {
		return new AuditSearch(audit, clients, users);
	}

	@Bean
	Secrets secrets(PasswordHasher hasher, @Qualifier("userPasswordHasher") PasswordHasher userPasswordHasher,
			HashingPool hashingPool) {
		return new Secrets(hasher, userPasswordHasher, hashingPool);
	}

	@Bean
	GrantAdministration grantAdministration(AuthorizationStore authorizations, AuthorizationCodeStore codes,
			ConsentStore consents, UserLookup userLookup, ClientLookup clientLookup, AuditTrail auditTrail) {
		return new GrantAdministration(authorizations, codes, consents, userLookup, clientLookup, auditTrail);
	}

	@Bean
	ClientAdministration clientAdministration(ClientStore clients, UserLookup userLookup,
			GrantAdministration grantAdministration, AuditTrail auditTrail, Secrets secrets, ClientPolicy clientPolicy) {
		return new ClientAdministration(clients, userLookup, grantAdministration, auditTrail, secrets, clientPolicy);
	}

	@Bean
	UserAdministration userAdministration(UserStore users, ClientStore clients,
			GrantAdministration grantAdministration, AdministratorsGuard administratorsGuard, AuditTrail auditTrail,
			Secrets secrets) {
		return new UserAdministration(users, clients, grantAdministration, administratorsGuard, auditTrail, secrets);
	}

}
