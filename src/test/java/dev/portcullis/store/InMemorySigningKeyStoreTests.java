package dev.portcullis.store;

import dev.portcullis.oauth2.store.SigningKeyStore;
import dev.portcullis.store.inmemory.InMemorySigningKeyStore;

class InMemorySigningKeyStoreTests extends AbstractSigningKeyStoreContractTests {

	@Override
	protected SigningKeyStore createStore() {
		return new InMemorySigningKeyStore();
	}

}
