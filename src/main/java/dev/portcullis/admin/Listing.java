package dev.portcullis.admin;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

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

	/**
	 * How a list is sorted: by one of the columns it offers, ascending or descending.
	 *
	 * @param column the column's name, as the list offers it (for example {@code name})
	 */
	public record Order(String column, boolean descending) {

		public static Order ascending(String column) {
			return new Order(column, false);
		}

	}

	/**
	 * The comparator for {@code order} among the list's {@code columns}; equal items fall back to {@code tieBreak}, a
	 * total order, so that the same list pages the same way every time (no item on two pages, none on neither).
	 * {@link InvalidFieldsException} on {@code sort} for a column the list does not offer.
	 */
	static <T> Comparator<T> comparator(Map<String, Comparator<T>> columns, Order order, Comparator<T> tieBreak) {
		Comparator<T> column = columns.get(order.column());
		if (column == null) {
			throw new InvalidFieldsException("sort", "must be one of " + String.join(", ", columns.keySet()));
		}
		return (order.descending() ? column.reversed() : column).thenComparing(tieBreak);
	}

}
