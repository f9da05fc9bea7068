package dev.portcullis.web.admin;

import java.time.Clock;

import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.support.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Records every administrative change: in the audit log (shown in the UI and at {@code /admin/api/audit}) and as
 * one log line ({@code dev.portcullis.admin}). The details never hold a secret.
 */
@Component
public class AdminAuditTrail {

	private static final Logger logger = LoggerFactory.getLogger("dev.portcullis.admin");

	private final AuditLog audit;

	private final Clock clock;

	public AdminAuditTrail(AuditLog audit, Clock clock) {
		this.audit = audit;
		this.clock = clock;
	}

	public Mono<Void> record(Authentication admin, String action, String target, String detail) {
		return Mono.defer(() -> {
			AuditEvent event = new AuditEvent(this.clock.instant(), admin.getName(), action, target, detail);
			logger.info("admin action={} actor={} target={} detail={}", action, LogSafe.clean(event.actor()),
					LogSafe.clean(target), LogSafe.clean(detail));
			return this.audit.append(event);
		});
	}

}
