package dev.portcullis.store;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.store.inmemory.InMemoryUserStore;

class InMemoryUserStoreTests extends AbstractUserStoreContractTests {

	@Override
	protected UserStore createStore() {
		return new InMemoryUserStore();
	}

}
