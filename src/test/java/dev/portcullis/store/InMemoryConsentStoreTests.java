package dev.portcullis.store;

import dev.portcullis.store.inmemory.InMemoryConsentStore;

class InMemoryConsentStoreTests extends AbstractConsentStoreContractTests {

	@Override
	protected ConsentStore createStore() {
		return new InMemoryConsentStore();
	}

}
