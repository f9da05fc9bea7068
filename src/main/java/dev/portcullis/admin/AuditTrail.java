package dev.portcullis.admin;

import java.time.Clock;

import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.support.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Records every administrative change: in the audit log (shown in the UI and at {@code /admin/api/audit}) and as
 * one log line ({@code dev.portcullis.admin}). The details never hold a secret.
 */
public final class AuditTrail {

	private static final Logger logger = LoggerFactory.getLogger("dev.portcullis.admin");

	private final AuditLog audit;

	private final Clock clock;

	public AuditTrail(AuditLog audit, Clock clock) {
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * @param actor who made the change: a user id, or a client id for a client acting as itself
	 */
	public Mono<Void> record(String actor, String action, String target, String detail) {
		return Mono.defer(() -> {
			AuditEvent event = new AuditEvent(this.clock.instant(), actor, action, target, detail);
			logger.info("admin action={} actor={} target={} detail={}", action, LogSafe.clean(event.actor()),
					LogSafe.clean(target), LogSafe.clean(detail));
			return this.audit.append(event);
		});
	}

	/** Up to {@code limit} entries, newest first, after the newest {@code offset}, and how many there are. */
	public Mono<Listing<AuditEvent>> recent(int offset, int limit) {
		return Listing.of(this.audit.recent(offset, limit), this.audit.count());
	}

}
