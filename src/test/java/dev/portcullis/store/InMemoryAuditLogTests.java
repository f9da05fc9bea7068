package dev.portcullis.store;

import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.store.inmemory.InMemoryAuditLog;

class InMemoryAuditLogTests extends AbstractAuditLogContractTests {

	@Override
	protected AuditLog createLog(int capacity) {
		return new InMemoryAuditLog(capacity);
	}

}
