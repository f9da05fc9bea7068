package dev.portcullis.store;

import dev.portcullis.store.inmemory.InMemoryUserStore;

class InMemoryUserStoreTests extends AbstractUserStoreContractTests {

	@Override
	protected UserStore createStore() {
		return new InMemoryUserStore();
	}

}
