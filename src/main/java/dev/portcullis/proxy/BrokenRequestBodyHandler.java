package dev.portcullis.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Makes a request body that fails to decode (a chunked body with a bad chunk size, say) end the request's body
 * stream with an error, so that a proxied request is aborted at the backend: the connection to it is closed mid-body
 * instead of the request being finished there. Without this, Reactor Netty answers the client 400 and completes the
 * body stream normally, and the backend receives a well-terminated request with a truncated body.
 *
 * <p>Sits right after Reactor Netty's HTTP codec; the message itself goes on, so the client still gets its 400.
 */
@ChannelHandler.Sharable
public final class BrokenRequestBodyHandler extends ChannelInboundHandlerAdapter {

	/** The name of this handler in the channel pipeline. */
	public static final String NAME = "portcullis.brokenRequestBody";

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpContent content && !(msg instanceof HttpRequest) && content.decoderResult().isFailure()) {
			ctx.fireExceptionCaught(new BrokenRequestBodyException(content.decoderResult().cause()));
		}
		ctx.fireChannelRead(msg);
	}

	/** The client's request body broke off: the request was aborted at the backend, the client answered 400. */
	public static final class BrokenRequestBodyException extends DecoderException {

		BrokenRequestBodyException(Throwable cause) {
			super("The request body could not be decoded: " + cause.getMessage(), cause);
		}

	}

}
