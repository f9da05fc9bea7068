package dev.portcullis.web.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestHeadTimeout} on an {@link EmbeddedChannel} with Netty's HTTP codec under Reactor Netty's name and a
 * frozen clock: when the timer runs, when it does not, and what the client gets. The real server and real sockets
 * are in {@link ConnectionLimitsIntegrationTests}.
 */
class RequestHeadTimeoutTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String GET = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: gateway\r\n\r\n";

	private EmbeddedChannel channel;

	@BeforeEach
	void channel() {
		this.channel = new EmbeddedChannel();
		this.channel.freezeTime();
		this.channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
		new RequestHeadTimeout(TIMEOUT.toNanos()).install(this.channel.pipeline());
		// accepted now, on the frozen clock: the event a server's new connection gets once its pipeline is built
		this.channel.pipeline().fireChannelActive();
	}

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void timerWhenHeadIncompleteAtTimeoutThenRequestTimeoutAndClosed() {
		receive("GET /.well-known/jwks.json HTTP/1.1\r\nHo");
		elapse(TIMEOUT.minusMillis(1));
		assertThat(this.channel.isOpen()).isTrue();

		elapse(Duration.ofMillis(1));

		String answer = sent();
		assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n");
		assertThat(answer.toLowerCase()).contains("connection: close\r\n").contains("content-length: 0\r\n");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void timerWhenNothingSentAtTimeoutThenRequestTimeoutAndClosed() {
		elapse(TIMEOUT);

		assertThat(sent()).startsWith("HTTP/1.1 408 ");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void timerWhenHeadDecodedThenBodyMayStreamLongerThanTimeout() {
		receive("POST /Api/V8/upload HTTP/1.1\r\nHost: gateway\r\nContent-Length: 10\r\n\r\n12345");
		elapse(TIMEOUT.multipliedBy(6));
		receive("67890");
		elapse(TIMEOUT.multipliedBy(6));

		assertThat(this.channel.isOpen()).isTrue();
		assertThat(sent()).isEmpty();
	}

	@Test
	void timerWhenKeepAliveConnectionSilentAfterResponseThenNotRunning() {
		receive(GET);
		respond(HttpResponseStatus.OK);
		sent();

		elapse(TIMEOUT.multipliedBy(6));

		assertThat(this.channel.isOpen()).as("left to the idle timeout").isTrue();
		assertThat(sent()).isEmpty();
	}

	@Test
	void timerWhenNextRequestStartsThenRunsFromItsFirstByte() {
		receive(GET);
		respond(HttpResponseStatus.OK);
		sent();
		elapse(TIMEOUT.multipliedBy(3).plusMillis(300));

		receive("G");
		elapse(TIMEOUT.minusMillis(1));
		assertThat(this.channel.isOpen()).isTrue();
		elapse(Duration.ofMillis(1));

		assertThat(sent()).startsWith("HTTP/1.1 408 ");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void timerWhenEveryRequestInTimeThenNeverFires() {
		for (int i = 0; i < 20; i++) {
			receive("GET /.well-known/jwks.json HTTP/1.1\r\n");
			elapse(TIMEOUT.minusSeconds(1));
			receive("Host: gateway\r\n\r\n");
			respond(HttpResponseStatus.OK);
			assertThat(sent()).startsWith("HTTP/1.1 200 ");
		}

		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void timerWhenPipelinedHeadIncompleteWhileRequestUnansweredThenClosedWithoutAnswer() {
		// a 408 now would be read as the answer to the first request
		receive(GET);
		receive("GET /.well-known/jwks.json HTTP/1.1\r\nHo");

		elapse(TIMEOUT);

		assertThat(sent()).isEmpty();
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void timerWhenOnlyInterimResponseWrittenThenRequestStillUnanswered() {
		receive("POST /Api/V8/upload HTTP/1.1\r\nHost: gateway\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n");
		respond(HttpResponseStatus.CONTINUE);
		assertThat(sent()).startsWith("HTTP/1.1 100 ");
		receive("1");
		receive("G");

		elapse(TIMEOUT);

		assertThat(sent()).as("no 408: the upload is still owed its answer").isEmpty();
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void timerWhenSwitchedProtocolsThenStopsForGood() {
		receive("GET /ws HTTP/1.1\r\nHost: gateway\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
		respond(HttpResponseStatus.SWITCHING_PROTOCOLS);
		sent();
		// bytes of the new protocol; the HTTP codec, still in place here, takes them for the start of a head
		receive("abc");

		elapse(TIMEOUT.multipliedBy(6));

		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void timerWhenConnectionClosedThenCancelled() {
		receive("GET /.well-known/jwks.json HTTP/1.1\r\nHo");

		this.channel.close();

		assertThat(this.channel.runScheduledPendingTasks()).as("no scheduled task left").isEqualTo(-1);
	}

	private void receive(String bytes) {
		this.channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
		for (Object decoded = this.channel.readInbound(); decoded != null; decoded = this.channel.readInbound()) {
			ReferenceCountUtil.release(decoded);
		}
	}

	private void respond(HttpResponseStatus status) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
		if (status.code() >= 200) {
			response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
		}
		this.channel.writeOutbound(response);
	}

	private void elapse(Duration time) {
		this.channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
		this.channel.runScheduledPendingTasks();
	}

	/** What was written to the client since the last call. */
	private String sent() {
		StringBuilder sent = new StringBuilder();
		for (ByteBuf bytes = this.channel.readOutbound(); bytes != null; bytes = this.channel.readOutbound()) {
			sent.append(bytes.toString(StandardCharsets.ISO_8859_1));
			bytes.release();
		}
		return sent.toString();
	}

}
