package dev.portcullis.store;

import dev.portcullis.oauth2.store.AuthorizationCodeStore;
import java.time.Clock;

import dev.portcullis.store.inmemory.InMemoryAuthorizationCodeStore;

class InMemoryAuthorizationCodeStoreTests extends AbstractAuthorizationCodeStoreContractTests {

	@Override
	protected AuthorizationCodeStore createStore(Clock clock) {
		return new InMemoryAuthorizationCodeStore(clock);
	}

}
