package io.meshplay.server;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;

/**
 * The calls grpc-java's Netty server refuses by itself, before any service or {@link RequestGuard} sees
 * them, handed to {@link RejectedCalls}: a request over {@code maxInboundMessageSize} (RESOURCE_EXHAUSTED)
 * and a {@code grpc-encoding} it cannot decompress (UNIMPLEMENTED). A stream tracer is the only place that
 * learns of them; it recognises them by grpc-java's own status descriptions, which name no request bytes.
 */
final class NettyRejections extends ServerStreamTracer.Factory {

    /** grpc-java's MessageDeframer: "gRPC message exceeds maximum size 4194304: 10485765". */
    static final String OVERSIZED = "gRPC message exceeds maximum size";
    /** grpc-java's ServerImpl: "Can't find decompressor for foo". */
    static final String NO_DECOMPRESSOR = "Can't find decompressor";

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return new ServerStreamTracer() {
            @Override
            public void streamClosed(Status status) {
                String description = status.getDescription();
                if (description == null) {
                    return;
                }
                if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && description.startsWith(OVERSIZED)) {
                    RejectedCalls.record(RejectedCalls.Reason.OVERSIZED, fullMethodName, status);
                } else if (status.getCode() == Status.Code.UNIMPLEMENTED && description.startsWith(NO_DECOMPRESSOR)) {
                    RejectedCalls.record(RejectedCalls.Reason.UNSUPPORTED_ENCODING, fullMethodName, status);
                }
            }
        };
    }
}
