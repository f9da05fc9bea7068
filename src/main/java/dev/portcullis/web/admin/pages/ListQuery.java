package dev.portcullis.web.admin.pages;

import java.util.ArrayList;
import java.util.List;

import dev.portcullis.admin.Listing;
import org.jspecify.annotations.Nullable;

import static dev.portcullis.web.admin.pages.AdminPageSupport.encode;

/**
 * Where a list page stands: its search, its order and its page size, kept in the query string, and the links that
 * change one of them and keep the others (each goes back to the first page, as the items move). The default order
 * and page size are left out of the links.
 *
 * @param path the list's path, e.g. {@code /admin/clients}
 * @param search the search as typed ({@code ""} for none)
 * @param sort the column sorted by
 * @param descending whether the order is reversed
 * @param size items a page
 * @param defaultSort the list's own order
 */
public record ListQuery(String path, String search, String sort, boolean descending, int size, String defaultSort) {

	/** The page sizes offered; larger ones are capped to the last. */
	static final List<Integer> SIZES = List.of(20, 50, 100);

	static ListQuery of(String path, @Nullable String search, @Nullable String sort, @Nullable String dir, int size,
			String defaultSort) {
		return new ListQuery(path, (search != null) ? search.strip() : "",
				(sort != null && !sort.isBlank()) ? sort : defaultSort, "desc".equals(dir),
				Math.min(size, SIZES.get(SIZES.size() - 1)), defaultSort);
	}

	/** The order asked of the administration layer, which refuses a column it does not offer. */
	Listing.Order order() {
		return new Listing.Order(this.sort, this.descending);
	}

	/** The search for the administration layer: {@code null} for none. */
	@Nullable String wanted() {
		return this.search.isEmpty() ? null : this.search;
	}

	/** The list's link for the current state, to which the pager adds {@code page=n}. */
	String base() {
		String query = query(this.search, this.sort, this.descending, this.size);
		return this.path + "?" + (query.isEmpty() ? "" : query + "&");
	}

	/** Sorts by {@code column}: ascending, or the other way round when it is already sorted by it. */
	public String sortLink(String column) {
		boolean reverse = column.equals(this.sort) && !this.descending;
		return link(query(this.search, column, reverse, this.size));
	}

	/** {@code ascending} or {@code descending} for the column sorted by (for {@code aria-sort}); none for others. */
	public @Nullable String ariaSort(String column) {
		return column.equals(this.sort) ? (this.descending ? "descending" : "ascending") : null;
	}

	public String sizeLink(int otherSize) {
		return link(query(this.search, this.sort, this.descending, otherSize));
	}

	/** The same order and page size, without the search. */
	public String clearLink() {
		return link(query("", this.sort, this.descending, this.size));
	}

	public List<Integer> sizes() {
		return SIZES;
	}

	private String link(String query) {
		return query.isEmpty() ? this.path : this.path + "?" + query;
	}

	private String query(String search, String sort, boolean descending, int size) {
		List<String> parameters = new ArrayList<>();
		if (!search.isEmpty()) {
			parameters.add("search=" + encode(search));
		}
		if (!sort.equals(this.defaultSort) || descending) {
			parameters.add("sort=" + encode(sort));
		}
		if (descending) {
			parameters.add("dir=desc");
		}
		if (size != SIZES.get(0)) {
			parameters.add("size=" + size);
		}
		return String.join("&", parameters);
	}

}
