package dev.portcullis.proxy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class OwnCookiesFilterTests {

	private final OwnCookiesFilter filter = new OwnCookiesFilter(Set.of("SESSION", "XSRF-TOKEN", "REDIRECT_URI"));

	private final MockServerWebExchange exchange = MockServerWebExchange
		.from(MockServerHttpRequest.get("/Api/V8/module/Accounts"));

	@Test
	void filterWhenOwnCookiesAmongOthersThenOnlyTheOthersKeptInTheirOrder() {
		HttpHeaders input = new HttpHeaders();
		input.add(HttpHeaders.COOKIE, "PHPSESSID=crm; SESSION=abc; XSRF-TOKEN=t;REDIRECT_URI=\"/x\"; theme=dark");
		input.add(HttpHeaders.ACCEPT, "application/vnd.api+json");

		HttpHeaders filtered = this.filter.filter(input, this.exchange);

		assertThat(filtered.get(HttpHeaders.COOKIE)).containsExactly("PHPSESSID=crm; theme=dark");
		assertThat(filtered.get(HttpHeaders.ACCEPT)).containsExactly("application/vnd.api+json");
	}

	@Test
	void filterWhenOnlyOwnCookiesInSeveralHeadersThenNoCookieHeader() {
		HttpHeaders input = new HttpHeaders();
		// as HTTP/2 clients may send them, one header per cookie; spaces and a value-less pair as a hostile client might
		input.addAll(HttpHeaders.COOKIE, List.of("SESSION =abc", " XSRF-TOKEN=t ; SESSION", ";"));

		HttpHeaders filtered = this.filter.filter(input, this.exchange);

		assertThat(filtered.containsHeader(HttpHeaders.COOKIE)).isFalse();
	}

	@Test
	void filterWhenSeveralCookieHeadersWithOwnCookiesThenTheOthersJoinedInOne() {
		HttpHeaders input = new HttpHeaders();
		input.addAll(HttpHeaders.COOKIE, List.of("a=1", "SESSION=abc; b=2"));

		assertThat(this.filter.filter(input, this.exchange).get(HttpHeaders.COOKIE)).containsExactly("a=1; b=2");
	}

	@Test
	void filterWhenNoOwnCookieThenTheSameHeadersUnchanged() {
		HttpHeaders input = new HttpHeaders();
		// cookie names are case-sensitive: these are the backend's, not the gateway's
		input.add(HttpHeaders.COOKIE, "session=crm; XSESSION=1; MY_SESSION=2");

		assertThat(this.filter.filter(input, this.exchange)).isSameAs(input);
		assertThat(input.get(HttpHeaders.COOKIE)).containsExactly("session=crm; XSESSION=1; MY_SESSION=2");
	}

	@Test
	void filterWhenNoCookieHeaderThenTheSameHeaders() {
		HttpHeaders input = new HttpHeaders();
		input.add(HttpHeaders.ACCEPT, "*/*");

		assertThat(this.filter.filter(input, this.exchange)).isSameAs(input);
	}

}
