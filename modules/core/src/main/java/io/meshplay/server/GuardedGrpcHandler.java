package io.meshplay.server;

import io.grpc.Status;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.http2.Http2ErrorCode;
import io.helidon.http.http2.Http2FrameHeader;
import io.helidon.http.http2.Http2FrameTypes;
import io.helidon.http.http2.Http2RstStream;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.http.http2.Http2WindowUpdate;
import io.helidon.http.http2.StreamFlowControl;
import io.helidon.webserver.http2.spi.Http2SubProtocolSelector.SubProtocolHandler;

/**
 * Helidon's gRPC handler for one stream, with the checks it lacks in front: it reads each message's 5-byte
 * gRPC prefix as DATA frames arrive (without consuming them) and ends the call with a status before
 * Helidon's handler would fail on the message. Helidon 4.4.0's own handler, on a message over
 * {@code max-read-buffer-size} or a compressed one it cannot decompress, cancels the service, logs the
 * frame in hex at ERROR, sends no status (the client waits out its deadline) and then misreads every
 * following frame of the message as a new one, logging each again.
 */
final class GuardedGrpcHandler implements SubProtocolHandler {

    private static final int PREFIX = 5;

    private final SubProtocolHandler inner;
    private final GuardedStreamWriter writer;
    private final int streamId;
    private final StreamFlowControl flowControl;
    private final String method;
    private final int maxMessageSize;
    private final boolean canDecompress;
    private final Status refusedAtStart;

    private volatile boolean ended;
    private volatile boolean remoteDone;
    // the message prefix being read: bytes of it seen, compressed flag, length so far; then bytes of body left
    private int prefixSeen;
    private int compressed;
    private long length;
    private long bodyLeft;

    /** @param refusedAtStart a status to end the call with before the service sees it (bad headers), or null */
    GuardedGrpcHandler(SubProtocolHandler inner, GuardedStreamWriter writer, int streamId, StreamFlowControl flowControl,
                       String method, int maxMessageSize, boolean canDecompress, Status refusedAtStart) {
        this.inner = inner;
        this.writer = writer;
        this.streamId = streamId;
        this.flowControl = flowControl;
        this.method = method;
        this.maxMessageSize = maxMessageSize;
        this.canDecompress = canDecompress;
        this.refusedAtStart = refusedAtStart;
    }

    @Override
    public void init() {
        if (refusedAtStart != null) {
            // the service never starts: there is nothing to cancel
            ended = true;
            if (writer.end(refusedAtStart, streamId, flowControl.outbound())) {
                RejectedCalls.record(RejectedCalls.Reason.UNSUPPORTED_ENCODING, method, refusedAtStart);
            }
            return;
        }
        inner.init();
    }

    /**
     * After our own end the stream stays "open" until the client's END_STREAM, so that Helidon's stream loop
     * keeps taking (and dropping) the rest of the request: Helidon credits the connection's flow-control
     * window only for frames its loop takes, so stopping at once leaked the window and stalled every later
     * call on the connection. The remainder, an upstream defect: if the client resets instead (grpc-java does
     * on our trailers), the loop waits for a frame that never comes, a parked virtual thread until the
     * connection closes.
     */
    @Override
    public Http2StreamState streamState() {
        if (!ended) {
            return inner.streamState();
        }
        if (refusedAtStart != null) {
            return Http2StreamState.HALF_CLOSED_LOCAL; // refused before any frame was read: Helidon's not-found does the same
        }
        return remoteDone ? Http2StreamState.CLOSED : Http2StreamState.OPEN;
    }

    @Override
    public void rstStream(Http2RstStream rstStream) {
        remoteDone = true;
        if (!ended) {
            inner.rstStream(rstStream);
        }
        // after our own end the service was cancelled already; a second onCancel would break grpc-java's promise
    }

    @Override
    public void windowUpdate(Http2WindowUpdate update) {
        inner.windowUpdate(update);
    }

    @Override
    public void data(Http2FrameHeader header, BufferData data) {
        if (ended) {
            remoteDone = header.flags(Http2FrameTypes.DATA).endOfStream();
            return;
        }
        Refusal refusal = scan(data);
        if (refusal == null) {
            inner.data(header, data);
            return;
        }
        ended = true;
        remoteDone = header.flags(Http2FrameTypes.DATA).endOfStream();
        if (writer.end(refusal.status(), streamId, flowControl.outbound())) {
            RejectedCalls.record(refusal.reason(), method, refusal.status());
        }
        // the service learns that the call is over as it would from a client's reset; Helidon then writes nothing
        inner.rstStream(new Http2RstStream(Http2ErrorCode.CANCEL));
    }

    private record Refusal(RejectedCalls.Reason reason, Status status) {
    }

    /** Walks the frame's message prefixes; the first message that must be refused, or null. */
    private Refusal scan(BufferData data) {
        int n = data.available();
        int i = 0;
        while (i < n) {
            if (bodyLeft > 0) {
                int skip = (int) Math.min(bodyLeft, n - i);
                bodyLeft -= skip;
                i += skip;
                continue;
            }
            int b = data.get(i++) & 0xff;
            if (prefixSeen == 0) {
                compressed = b;
                length = 0;
            } else {
                length = (length << 8) | b;
            }
            if (++prefixSeen < PREFIX) {
                continue;
            }
            prefixSeen = 0;
            if (length > maxMessageSize) {
                // grpc-java's wording, so clients see the same text on either transport
                return new Refusal(RejectedCalls.Reason.OVERSIZED, Status.RESOURCE_EXHAUSTED.withDescription(
                        NettyRejections.OVERSIZED + " " + maxMessageSize + ": " + length));
            }
            if (compressed != 0 && !canDecompress) {
                return new Refusal(RejectedCalls.Reason.UNSUPPORTED_ENCODING, Status.INTERNAL.withDescription(
                        "Can't decode compressed gRPC message as compression not configured"));
            }
            bodyLeft = length;
        }
        return null;
    }
}
