package io.tilemud.localstack.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates a request up to API Gateway's payload limit. Netty's own refusal is a 413 with an empty body; this one
 * says what happened in the error contract, then closes the connection (the rest of the body is not read).
 */
final class PayloadLimit extends HttpObjectAggregator {
    PayloadLimit(int maxBytes) {
        super(maxBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse response = HttpEventMapper.json(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ApiGatewayErrors.TOO_LARGE);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
