package dev.portcullis.web;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.thymeleaf.spring6.view.reactive.ThymeleafReactiveView;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * A Thymeleaf page rendered on Reactor's {@code boundedElastic} scheduler instead of an event loop. Thymeleaf reads a
 * template's file the first time the template is used (its cache key also names the template that included a
 * fragment, so no warm-up at start covers every combination) and reads its own properties when its engine starts,
 * at the first page (thymeleaf/thymeleaf#1081, #1083). Both happen in two places: in {@code render}, and when the
 * response subscribes to the page's body, which Thymeleaf writes only then, after the session is saved (on the
 * thread of the store's answer). Both move here; the bytes are still written by the connection's event loop. Pages
 * (console, login, consent) are rare next to token and proxy requests, so the thread hop costs nothing that matters.
 */
public class BoundedElasticThymeleafView extends ThymeleafReactiveView {

	@Override
	public Mono<Void> render(@Nullable Map<String, ?> model, @Nullable MediaType contentType,
			ServerWebExchange exchange) {
		ServerWebExchange offTheEventLoop = exchange.mutate()
			.response(new ServerHttpResponseDecorator(exchange.getResponse()) {

				@Override
				public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
					// Thymeleaf writes a page as one buffer, a Mono (Boot's default: no spring.thymeleaf.reactive
					// chunking), which Reactor Netty writes and flushes at once
					return super.writeWith((body instanceof Mono<? extends DataBuffer> page)
							? page.subscribeOn(Schedulers.boundedElastic()) : body);
				}

			})
			.build();
		return Mono.defer(() -> super.render(model, contentType, offTheEventLoop))
			.subscribeOn(Schedulers.boundedElastic());
	}

}
