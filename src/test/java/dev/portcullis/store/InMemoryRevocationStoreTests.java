package dev.portcullis.store;

import java.time.Clock;

import dev.portcullis.store.inmemory.InMemoryRevocationStore;

class InMemoryRevocationStoreTests extends AbstractRevocationStoreContractTests {

	@Override
	protected RevocationStore createStore(Clock clock) {
		return new InMemoryRevocationStore(clock);
	}

}
