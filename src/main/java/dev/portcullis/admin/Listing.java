package dev.portcullis.admin;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One slice of a longer list, as the stores page it, and how many items the whole list has.
 */
public record Listing<T>(List<T> items, long total) {

	public Listing {
		items = List.copyOf(items);
	}

	static <T> Mono<Listing<T>> of(Flux<T> items, Mono<Long> total) {
		return items.collectList().zipWith(total, Listing::new);
	}

}
