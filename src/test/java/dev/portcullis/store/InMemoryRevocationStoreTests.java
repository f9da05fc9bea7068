package dev.portcullis.store;

import java.time.Clock;

import dev.portcullis.store.inmemory.InMemoryAuthorizationStore;
import dev.portcullis.store.inmemory.InMemoryRevocationStore;

class InMemoryRevocationStoreTests extends AbstractRevocationStoreContractTests {

	@Override
	protected AbstractAuthorizationStoreContractTests.Stores createStores(Clock clock) {
		InMemoryRevocationStore revocations = new InMemoryRevocationStore(clock);
		return new AbstractAuthorizationStoreContractTests.Stores(new InMemoryAuthorizationStore(revocations, clock),
				revocations);
	}

	@Override
	protected boolean knowsEveryAnswer() {
		return true;
	}

}
