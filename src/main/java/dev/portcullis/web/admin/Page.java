package dev.portcullis.web.admin;

import java.util.List;
import java.util.function.Function;

import dev.portcullis.admin.InvalidFieldsException;
import dev.portcullis.admin.Listing;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One page of a list answer.
 *
 * @param items the page's items
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param total how many items there are in all
 */
public record Page<T>(List<T> items, int page, int size, long total) {

	static final int MAX_SIZE = 200;

	/** The page of {@code all} (already in display order). */
	public static <T> Page<T> of(List<T> all, int page, int size) {
		check(page, size);
		int from = (int) Math.min((long) page * size, all.size());
		int to = Math.min(from + size, all.size());
		return new Page<>(List.copyOf(all.subList(from, to)), page, size, all.size());
	}

	/** The page of {@code all} (already in display order), once it is read. */
	public static <T> Mono<Page<T>> of(Flux<T> all, int page, int size) {
		return Mono.fromRunnable(() -> check(page, size)).then(all.collectList()).map((items) -> of(items, page, size));
	}

	/** The page a store has already cut out, at {@link #offset(int, int)}. */
	public static <T> Page<T> of(Listing<T> listing, int page, int size) {
		return new Page<>(listing.items(), page, size, listing.total());
	}

	/** The same page with each item converted. */
	public <R> Page<R> map(Function<? super T, ? extends R> converter) {
		return new Page<>(this.items.stream().<R>map(converter).toList(), this.page, this.size, this.total);
	}

	/** Where the page starts, once the page number and size are known to be in range. */
	public static int offset(int page, int size) {
		check(page, size);
		return page * size;
	}

	/** Refuses a page number or size out of range, naming the field. */
	static void check(int page, int size) {
		if (page < 0 || page > 1_000_000) {
			throw new InvalidFieldsException("page", "must be 0 to 1000000");
		}
		if (size < 1 || size > MAX_SIZE) {
			throw new InvalidFieldsException("size", "must be between 1 and " + MAX_SIZE);
		}
	}

}
