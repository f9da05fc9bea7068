package dev.portcullis.proxy;

import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * Writes the JSON error bodies the gateway answers with itself (refusals, backend failures), so that every one of
 * them has the same content type and no caching.
 */
public final class JsonErrorWriter {

	private final JsonMapper json;

	public JsonErrorWriter(JsonMapper json) {
		this.json = json;
	}

	/** Sets the status and writes {@code body} in its key order; headers set before stay. */
	public Mono<Void> write(ServerHttpResponse response, HttpStatusCode status, Map<String, String> body) {
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().setCacheControl("no-store");
		byte[] bytes = this.json.writeValueAsBytes(body);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
	}

}
