package dev.portcullis.store;

import dev.portcullis.oauth2.store.AttemptStore;
import dev.portcullis.store.inmemory.InMemoryAttemptStore;

class InMemoryAttemptStoreTests extends AbstractAttemptStoreContractTests {

	@Override
	protected AttemptStore createStore() {
		return new InMemoryAttemptStore();
	}

}
