package io.meshplay.server;

import io.grpc.Status;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.http.http2.FlowControl;
import io.helidon.http.http2.Http2Flag;
import io.helidon.http.http2.Http2FrameData;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2StreamWriter;

/**
 * The stream writer Helidon's gRPC handler writes through, so that {@link GuardedGrpcHandler} can end the
 * call with its own trailers (with {@code :status} only if no headers went out yet) and drop whatever the
 * service writes after that: a stream ends once.
 */
final class GuardedStreamWriter implements Http2StreamWriter {

    private final Http2StreamWriter delegate;
    private boolean headersSent;
    private boolean ended;

    GuardedStreamWriter(Http2StreamWriter delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized void write(Http2FrameData frame) {
        if (!ended) {
            delegate.write(frame);
        }
    }

    @Override
    public synchronized void writeData(Http2FrameData frame, FlowControl.Outbound flowControl) {
        if (!ended) {
            delegate.writeData(frame, flowControl);
        }
    }

    @Override
    public synchronized int writeHeaders(Http2Headers headers, int streamId, Http2Flag.HeaderFlags flags,
                                         FlowControl.Outbound flowControl) {
        if (ended) {
            return 0;
        }
        headersSent = true;
        ended = endsStream(flags.value());
        return delegate.writeHeaders(headers, streamId, flags, flowControl);
    }

    @Override
    public synchronized int writeHeaders(Http2Headers headers, int streamId, Http2Flag.HeaderFlags flags,
                                         Http2FrameData dataFrame, FlowControl.Outbound flowControl) {
        if (ended) {
            return 0;
        }
        headersSent = true;
        ended = endsStream(flags.value()) || endsStream(dataFrame.header().flags());
        return delegate.writeHeaders(headers, streamId, flags, dataFrame, flowControl);
    }

    private static boolean endsStream(int flags) {
        return (flags & Http2Flag.END_OF_STREAM) != 0;
    }

    /**
     * Ends the stream with {@code status} in trailers (a trailers-only response if nothing was sent yet).
     *
     * @return false if the stream had already ended (the service answered first)
     */
    synchronized boolean end(Status status, int streamId, FlowControl.Outbound flowControl) {
        if (ended) {
            return false;
        }
        WritableHeaders<?> trailers = WritableHeaders.create();
        if (!headersSent) {
            trailers.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/grpc"));
        }
        trailers.set(HeaderValues.create("grpc-status", String.valueOf(status.getCode().value())));
        if (status.getDescription() != null) {
            trailers.set(HeaderValues.create("grpc-message", status.getDescription()));
        }
        Http2Headers http2 = Http2Headers.create(trailers);
        if (!headersSent) {
            http2.status(io.helidon.http.Status.OK_200);
        }
        delegate.writeHeaders(http2, streamId, Http2Flag.HeaderFlags.create(Http2Flag.END_OF_HEADERS | Http2Flag.END_OF_STREAM),
                flowControl);
        headersSent = true;
        ended = true;
        return true;
    }
}
