package dev.portcullis.store;

import dev.portcullis.oauth2.store.ConsentStore;
import dev.portcullis.store.inmemory.InMemoryConsentStore;

class InMemoryConsentStoreTests extends AbstractConsentStoreContractTests {

	@Override
	protected ConsentStore createStore() {
		return new InMemoryConsentStore();
	}

}
