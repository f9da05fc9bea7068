package dev.portcullis.store.inmemory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.portcullis.oauth2.store.UserStore;
import dev.portcullis.oauth2.store.UsernameTakenException;
import dev.portcullis.oauth2.user.User;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Users in this process's memory: for tests and a first run, lost on restart.
 */
public class InMemoryUserStore implements UserStore {

	private final Map<String, User> usersById = new HashMap<>();

	private final Map<String, String> idsByUsername = new HashMap<>();

	@Override
	public Mono<User> findById(String id) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				return this.usersById.get(id);
			}
		});
	}

	@Override
	public Mono<User> findByUsername(String username) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				String id = this.idsByUsername.get(User.normalize(username));
				return (id != null) ? this.usersById.get(id) : null;
			}
		});
	}

	@Override
	public Mono<User> save(User user) {
		return Mono.fromCallable(() -> saveNow(user));
	}

	private synchronized User saveNow(User user) {
		String name = User.normalize(user.username());
		String owner = this.idsByUsername.get(name);
		if (owner != null && !owner.equals(user.id())) {
			throw new UsernameTakenException(user.username());
		}
		User previous = this.usersById.put(user.id(), user);
		if (previous != null) {
			this.idsByUsername.remove(User.normalize(previous.username()));
		}
		this.idsByUsername.put(name, user.id());
		return user;
	}

	@Override
	public Mono<User> replace(User expected, User changed) {
		return Mono.fromCallable(() -> {
			synchronized (this) {
				return expected.equals(this.usersById.get(expected.id())) ? saveNow(changed) : null;
			}
		});
	}

	@Override
	public Mono<Boolean> delete(User expected) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				return expected.equals(this.usersById.get(expected.id())) && deleteNow(expected.id());
			}
		});
	}

	@Override
	public Flux<User> findAll() {
		return Flux.defer(() -> {
			synchronized (this) {
				// a copy: the map may change while the caller iterates
				return Flux.fromIterable(List.copyOf(this.usersById.values()));
			}
		});
	}

	@Override
	public Mono<Boolean> deleteById(String id) {
		return Mono.fromSupplier(() -> deleteNow(id));
	}

	private synchronized boolean deleteNow(String id) {
		User removed = this.usersById.remove(id);
		if (removed == null) {
			return false;
		}
		this.idsByUsername.remove(User.normalize(removed.username()), id);
		return true;
	}

}
