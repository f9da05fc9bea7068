package dev.portcullis.web.server;

import java.util.Date;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * The header-read timeout of one HTTP/1.1 connection: the time a client may take to send a request head, from the
 * connection's accept and, on a keep-alive connection, from the first byte of each next request, until the head is
 * decoded. When it passes, the client gets {@code 408 Request Timeout} with {@code Connection: close} if no response
 * is owed or under way on the connection, and the connection is closed.
 * <p>
 * Two handlers share this state: one before Reactor Netty's HTTP codec sees the raw bytes (the first byte of a
 * request), one after it sees the decoded {@link HttpRequest} and {@link LastHttpContent} going in and the responses
 * going out. The timer never runs while a request body streams, however long an upload takes; with HTTP pipelining
 * it times the head of the request after the last one received in full, and a 408 is only written when every
 * request received has been answered (otherwise it would be read as the answer to one of them). Bytes of a next head
 * that arrived in the same read as the end of the previous request start no timer until the next read; the idle
 * timeout ({@code server.netty.idle-timeout}) bounds that wait. After a {@code 101 Switching Protocols} the
 * connection is no longer HTTP and the timer stops for good.
 * <p>
 * On the hot path a request costs a few type checks and one reading of the clock: the timer is not scheduled
 * and cancelled per request, but, as Netty's {@code IdleStateHandler} does, scheduled once and, when it fires while
 * a later head is being read, scheduled again for that head's remaining time. Everything runs on the connection's
 * event loop; the timer is cancelled when the connection closes.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-15.5.9">RFC 9110, 15.5.9. 408 Request Timeout</a>
 */
final class RequestHeadTimeout implements Runnable {

	static final String BYTES_HANDLER = "portcullis.requestHeadBytes";

	static final String MESSAGES_HANDLER = "portcullis.requestHeadTimeout";

	private static final Logger logger = LoggerFactory.getLogger(RequestHeadTimeout.class);

	/** The timer runs: the connection was accepted, or a byte of a next request arrived, and no head is decoded. */
	private static final int READING_HEAD = 0;

	/** A head is decoded and its body, if any, is being received: no timer. */
	private static final int READING_BODY = 1;

	/** The last request was received in full: the next byte starts a head. */
	private static final int BETWEEN_REQUESTS = 2;

	/** Switched to another protocol (101): no timer ever again. */
	private static final int NOT_HTTP = 3;

	private final long timeoutNanos;

	private int state = READING_HEAD;

	private long headStartedNanos;

	/** Requests decoded whose final response has not been written in full. */
	private int unanswered;

	/** A 1xx response head was written: the {@link LastHttpContent} that ends it ends no final response. */
	private boolean informational;

	private @Nullable ScheduledFuture<?> timer;

	private @Nullable ChannelHandlerContext messages;

	RequestHeadTimeout(long timeoutNanos) {
		this.timeoutNanos = timeoutNanos;
	}

	/** Puts the two handlers around Reactor Netty's HTTP codec. */
	void install(ChannelPipeline pipeline) {
		pipeline.addBefore(NettyPipeline.HttpCodec, BYTES_HANDLER, new Bytes());
		pipeline.addAfter(NettyPipeline.HttpCodec, MESSAGES_HANDLER, new Messages());
	}

	private void headStarted(ChannelHandlerContext ctx) {
		this.state = READING_HEAD;
		this.headStartedNanos = ctx.executor().ticker().nanoTime();
		if (this.timer == null) {
			this.timer = ctx.executor().schedule(this, this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	/** The timer: fires at the earliest when the head being read is due, and checks it is still being read. */
	@Override
	public void run() {
		this.timer = null;
		ChannelHandlerContext ctx = this.messages;
		if (this.state != READING_HEAD || ctx == null || !ctx.channel().isActive()) {
			return;
		}
		long remaining = this.timeoutNanos - (ctx.executor().ticker().nanoTime() - this.headStartedNanos);
		if (remaining > 0) {
			// a later head than the one the timer was scheduled for
			this.timer = ctx.executor().schedule(this, remaining, TimeUnit.NANOSECONDS);
			return;
		}
		if (ctx.pipeline().get(HttpServerCodec.class) == null) {
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Closing {}: no request head within {} ms", ctx.channel(),
					TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos));
		}
		if (this.unanswered == 0) {
			// through the codec; closed right after the flush, not when the write completes, so that a client that
			// reads nothing cannot keep the connection open
			ctx.writeAndFlush(requestTimeout());
		}
		ctx.channel().close();
	}

	private static FullHttpResponse requestTimeout() {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.EMPTY_BUFFER);
		response.headers()
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
			.set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO)
			.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
		return response;
	}

	private void cancel() {
		ScheduledFuture<?> timer = this.timer;
		if (timer != null) {
			this.timer = null;
			timer.cancel(false);
		}
	}

	/** Before the HTTP codec: raw bytes. Arms the timer at accept and at the first byte of a next request. */
	private final class Bytes extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext ctx) throws Exception {
			headStarted(ctx);
			ctx.fireChannelActive();
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (RequestHeadTimeout.this.state == BETWEEN_REQUESTS && msg instanceof ByteBuf bytes
					&& bytes.isReadable()) {
				headStarted(ctx);
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			cancel();
			ctx.fireChannelInactive();
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			cancel();
		}

	}

	/**
	 * After the HTTP codec: decoded requests in, responses out. A decoded head stops the timer, the end of its body
	 * lets the next byte start it again; complete final responses are counted against the requests.
	 */
	private final class Messages extends ChannelDuplexHandler {

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			RequestHeadTimeout.this.messages = ctx;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			RequestHeadTimeout timeout = RequestHeadTimeout.this;
			if (timeout.state != NOT_HTTP) {
				if (msg instanceof HttpRequest) {
					timeout.state = READING_BODY;
					timeout.unanswered++;
				}
				// also a FullHttpRequest, as the decoder makes of a request it cannot parse
				if (msg instanceof LastHttpContent && timeout.state == READING_BODY) {
					timeout.state = BETWEEN_REQUESTS;
				}
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			RequestHeadTimeout timeout = RequestHeadTimeout.this;
			if (msg instanceof HttpResponse response) {
				int status = response.status().code();
				timeout.informational = status < 200;
				if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
					timeout.state = NOT_HTTP;
					cancel();
				}
			}
			if (msg instanceof LastHttpContent) {
				if (timeout.informational) {
					timeout.informational = false;
				}
				else if (timeout.unanswered > 0) {
					timeout.unanswered--;
				}
			}
			ctx.write(msg, promise);
		}

	}

}
