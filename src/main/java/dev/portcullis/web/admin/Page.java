package dev.portcullis.web.admin;

import java.util.List;

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
	static <T> Page<T> of(List<T> all, int page, int size) {
		check(page, size);
		int from = (int) Math.min((long) page * size, all.size());
		int to = Math.min(from + size, all.size());
		return new Page<>(List.copyOf(all.subList(from, to)), page, size, all.size());
	}

	/** Refuses a page number or size out of range, naming the field. */
	static void check(int page, int size) {
		if (page < 0 || page > 1_000_000) {
			throw AdminApiException.invalid("page", "must be 0 to 1000000");
		}
		if (size < 1 || size > MAX_SIZE) {
			throw AdminApiException.invalid("size", "must be between 1 and " + MAX_SIZE);
		}
	}

}
