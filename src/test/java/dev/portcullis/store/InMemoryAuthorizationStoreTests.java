package dev.portcullis.store;

import java.time.Clock;

import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;

class InMemoryAuthorizationStoreTests extends AbstractAuthorizationStoreContractTests {

	@Override
	protected Stores createStores(Clock clock) {
		InMemoryRevocationStore revocations = new InMemoryRevocationStore(clock);
		return new Stores(new InMemoryAuthorizationStore(revocations, clock), revocations);
	}

}
