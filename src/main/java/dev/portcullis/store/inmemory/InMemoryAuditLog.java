package dev.portcullis.store.inmemory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.store.AuditLog;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The audit log in this process's memory, newest first: for tests and a first run, lost on restart.
 */
public class InMemoryAuditLog implements AuditLog {

	private final Deque<AuditEvent> events = new ArrayDeque<>();

	private final int capacity;

	/**
	 * @param capacity the number of events kept, {@link AuditLog#CAPACITY} but in tests
	 */
	public InMemoryAuditLog(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("The capacity must be positive: " + capacity);
		}
		this.capacity = capacity;
	}

	@Override
	public Mono<Void> append(AuditEvent event) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				this.events.addFirst(event);
				if (this.events.size() > this.capacity) {
					this.events.removeLast();
				}
			}
		});
	}

	@Override
	public Flux<AuditEvent> recent(int offset, int limit) {
		if (offset < 0 || limit < 0) {
			return Flux.error(new IllegalArgumentException("Negative offset or limit: " + offset + ", " + limit));
		}
		return Flux.defer(() -> {
			synchronized (this) {
				// a copy: the deque may change while the caller iterates
				List<AuditEvent> page = this.events.stream().skip(offset).limit(limit).toList();
				return Flux.fromIterable(page);
			}
		});
	}

	@Override
	public Mono<Long> count() {
		return Mono.fromCallable(() -> {
			synchronized (this) {
				return (long) this.events.size();
			}
		});
	}

}
