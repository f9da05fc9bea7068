package dev.portcullis.web.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.util.Assert;

/**
 * Limits on the connections clients open to the gateway, which Reactor Netty does not set by itself: a cap on open
 * connections, and a timeout on reading each request head ({@link RequestHeadTimeout}), so that a client that sends
 * its request one byte at a time cannot hold a connection. Reactor Netty's own read and request timeouts start only
 * once a request head has been decoded; the idle timeout between requests is Reactor Netty's
 * ({@code server.netty.idle-timeout}).
 * <p>
 * Installed on every accepted connection: a connection counter first in the pipeline, and, on HTTP/1.1 connections,
 * the two handlers of the head timeout around Reactor Netty's HTTP codec.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-15.5.9">RFC 9110, 15.5.9. 408 Request Timeout</a>
 */
public final class ConnectionLimits implements NettyServerCustomizer {

	static final String CONNECTION_COUNTER = "portcullis.connectionCounter";

	private static final Logger logger = LoggerFactory.getLogger(ConnectionLimits.class);

	private static final long WARNING_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	private final long headerReadTimeoutNanos;

	private final int maxConnections;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

	private final ConnectionCounter counter = new ConnectionCounter();

	/**
	 * @param headerReadTimeout longest time a client may take to send a request head
	 * @param maxConnections most connections open at once; those accepted beyond it are closed at once
	 */
	public ConnectionLimits(Duration headerReadTimeout, int maxConnections) {
		Assert.isTrue(!headerReadTimeout.isNegative() && !headerReadTimeout.isZero(), "headerReadTimeout must be positive");
		Assert.isTrue(maxConnections > 0, "maxConnections must be positive");
		this.headerReadTimeoutNanos = headerReadTimeout.toNanos();
		this.maxConnections = maxConnections;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> install(channel));
	}

	/** Connections open now, counted from accept to close. */
	public int openConnections() {
		return this.open.get();
	}

	private void install(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		pipeline.addFirst(CONNECTION_COUNTER, this.counter);
		// HTTP/1.1 only: an HTTP/2 pipeline has no HttpServerCodec under this name
		if (pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec) {
			new RequestHeadTimeout(this.headerReadTimeoutNanos).install(pipeline);
		}
	}

	private void warnRefused(int openNow) {
		long now = System.nanoTime();
		long next = this.nextWarning.get();
		// at most one line every 10 s: a flood of connections must not become a flood of log lines
		if (now - next >= 0 && this.nextWarning.compareAndSet(next, now + WARNING_INTERVAL_NANOS)) {
			logger.warn("Closed a new connection at once: {} connections are open, the most allowed "
					+ "(portcullis.server.max-connections)", openNow);
		}
	}

	/**
	 * Counts open connections in the one counter, and closes a connection accepted beyond the limit before any other
	 * handler sees it as active (no TLS handshake, no timer).
	 */
	@ChannelHandler.Sharable
	private final class ConnectionCounter extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			int openNow = ConnectionLimits.this.open.incrementAndGet();
			if (openNow > ConnectionLimits.this.maxConnections) {
				ConnectionLimits.this.open.decrementAndGet();
				// removed first, so that its channelInactive does not count this connection down a second time
				ctx.pipeline().remove(this);
				ctx.channel().close();
				warnRefused(openNow - 1);
				return;
			}
			ctx.fireChannelActive();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			ConnectionLimits.this.open.decrementAndGet();
			ctx.fireChannelInactive();
		}

	}

}
