package dev.portcullis.oauth2.store;

import dev.portcullis.oauth2.AuditEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The audit log of administrative changes, newest first, bounded: the oldest events are dropped past a capacity.
 */
public interface AuditLog {

	/** The number of events kept; older ones are dropped. */
	int CAPACITY = 10_000;

	/** Appends an event. */
	Mono<Void> append(AuditEvent event);

	/** Up to {@code limit} events, newest first, skipping the newest {@code offset}. */
	Flux<AuditEvent> recent(int offset, int limit);

	/** How many events are kept: at most {@link #CAPACITY}. */
	Mono<Long> count();

}
