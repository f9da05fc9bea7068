package dev.portcullis.store;

import dev.portcullis.oauth2.store.ClientStore;
import dev.portcullis.store.inmemory.InMemoryClientStore;

class InMemoryClientStoreTests extends AbstractClientStoreContractTests {

	@Override
	protected ClientStore createStore() {
		return new InMemoryClientStore();
	}

}
