package dev.portcullis.oauth2;

import java.time.Instant;
import java.util.Objects;

/**
 * One administrative change, for the audit log: who did what to which object, and when. Never holds a secret.
 *
 * @param at when
 * @param actor the administrator (user id, or client id for an admin token without a user)
 * @param action what was done, e.g. {@code client.created}
 * @param target the id of the object changed
 * @param detail a short human-readable summary
 */
public record AuditEvent(Instant at, String actor, String action, String target, String detail) {

	public AuditEvent {
		Objects.requireNonNull(at, "at");
		Objects.requireNonNull(actor, "actor");
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(detail, "detail");
	}

}
