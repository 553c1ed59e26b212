package io.meshplay.apps.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Descriptors.MethodDescriptor;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.meshplay.grpcjson.call.DynamicCall;
import io.meshplay.grpcjson.transcode.JsonInput;
import io.meshplay.grpcjson.transcode.JsonOutput;

/**
 * One HTTP request as one gRPC call of any kind. A unary request body is one JSON object; a request stream
 * is newline-delimited JSON, sent as it is read. A unary response is one JSON object; a response stream is
 * NDJSON ({@code {"result":...}} per line, {@code {"error":...}} last if it fails) or server-sent events
 * ({@code data:} per message, {@code event: error} if it fails).
 *
 * <p>Flow control both ways: a response message is asked for only after the previous one was written to the
 * HTTP client, and a request line is sent only when the call is ready. A write that fails (the HTTP client
 * left) cancels the call, so the server sees CANCELLED.
 */
final class JsonExchange {

    enum Output { JSON, NDJSON, SSE }

    private sealed interface Event {
    }

    private record Headers(Metadata headers) implements Event {
    }

    private record Message(byte[] bytes) implements Event {
    }

    private record Closed(Status status, Metadata trailers) implements Event {
    }

    private record InputFailed(GatewayError error) implements Event {
    }

    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] SSE_KEEP_ALIVE = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final GatewayOptions options;

    JsonExchange(GatewayOptions options) {
        this.options = options;
    }

    /**
     * @param deadlineNanos the call's deadline from now, or a negative number for none
     * @param json          the request already made from the HTTP request (a google.api.http rule), or null: the body
     * @return the gRPC code the call ended with, for metrics
     */
    Status.Code run(Channel channel, MethodDescriptor method, ServerRequest request, ServerResponse response,
                    Metadata metadata, long deadlineNanos, Output output, String json) {
        byte[] single = null;
        if (!method.isClientStreaming()) {
            // parsed before the call starts: bad input is a 400 that never reaches a server
            String text = json != null ? json : new String(readBody(request), StandardCharsets.UTF_8);
            single = JsonInput.parse(text, method.getInputType(), "the request body").toByteArray();
        }
        // the listener only queues events for this thread: it runs on the transport's thread, not on a hop to
        // the channel's executor and from there to this thread
        CallOptions callOptions = CallOptions.DEFAULT.withExecutor(Runnable::run);
        if (deadlineNanos >= 0) {
            callOptions = callOptions.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS);
        }
        ClientCall<byte[], byte[]> call = channel.newCall(DynamicCall.grpcMethod(method), callOptions);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Object ready = new Object();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata headers) {
                events.add(new Headers(headers));
            }

            @Override
            public void onMessage(byte[] message) {
                events.add(new Message(message));
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                events.add(new Closed(status, trailers));
                synchronized (ready) {
                    ready.notifyAll();
                }
            }

            @Override
            public void onReady() {
                synchronized (ready) {
                    ready.notifyAll();
                }
            }
        }, metadata);
        call.request(1);
        Thread pump = null;
        if (single != null) {
            call.sendMessage(single);
            call.halfClose();
        } else {
            pump = Thread.ofVirtual().name("gateway-request-stream").start(() -> pump(request, method, call, events, ready));
        }
        Exchange exchange = new Exchange(method, response, output, call);
        try {
            return exchange.loop(events);
        } finally {
            if (!exchange.closed) {
                call.cancel("the gateway stopped the call", null);
            }
            if (pump != null) {
                pump.interrupt();
            }
        }
    }

    /** The request stream: one JSON message per line, blank lines skipped, each sent once the call is ready. */
    private void pump(ServerRequest request, MethodDescriptor method, ClientCall<byte[], byte[]> call, BlockingQueue<Event> events,
                      Object ready) {
        try (InputStream in = new java.io.BufferedInputStream(request.content().inputStream())) {
            long number = 0;
            for (byte[] line = readLine(in); line != null; line = readLine(in)) { // ends at the end of the body
                number++;
                String text = new String(line, StandardCharsets.UTF_8);
                if (text.isBlank()) {
                    continue;
                }
                byte[] message = JsonInput.parse(text, method.getInputType(), "request line " + number).toByteArray();
                synchronized (ready) {
                    while (!call.isReady() && !Thread.currentThread().isInterrupted()) {
                        ready.wait(1000); // woken by onReady or onClose; the timeout only re-checks
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                call.sendMessage(message);
            }
            call.halfClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | UncheckedIOException e) {
            call.cancel("the HTTP client's request stream broke off", e);
        } catch (RuntimeException e) {
            events.add(new InputFailed(GatewayError.from(e)));
            call.cancel("the HTTP request stream was refused", null);
        }
    }

    /** The response side of one call. */
    private final class Exchange {
        private final MethodDescriptor method;
        private final ServerResponse response;
        private final Output output;
        private final ClientCall<byte[], byte[]> call;
        private Metadata headers;
        private byte[] unary;
        private OutputStream out;
        private boolean closed;

        Exchange(MethodDescriptor method, ServerResponse response, Output output, ClientCall<byte[], byte[]> call) {
            this.method = method;
            this.response = response;
            this.output = output;
            this.call = call;
        }

        /** Until the call closes: grpc-java always closes it, at the latest at its deadline or cancel. */
        Status.Code loop(BlockingQueue<Event> events) {
            long keepAlive = options.streamKeepAlive().toNanos();
            try {
                while (true) {
                    Event event = events.poll(keepAlive, TimeUnit.NANOSECONDS);
                    if (event == null) {
                        if (method.isServerStreaming()) {
                            commit();
                            write(output == Output.SSE ? SSE_KEEP_ALIVE : NEWLINE); // a client that left shows here
                        }
                        continue;
                    }
                    switch (event) {
                        case Headers h -> headers = h.headers();
                        case Message m -> {
                            if (method.isServerStreaming()) {
                                commit();
                                String json = JsonOutput.text(DynamicCall.parse(method.getOutputType(), m.bytes()));
                                write((output == Output.SSE ? "data: " + json + "\n\n" : "{\"result\":" + json + "}\n")
                                        .getBytes(StandardCharsets.UTF_8));
                                call.request(1);
                            } else {
                                unary = m.bytes();
                            }
                        }
                        case InputFailed f -> {
                            fail(f.error());
                            return f.error().code();
                        }
                        case Closed c -> {
                            closed = true;
                            return finish(c);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.Code.CANCELLED;
            } catch (UncheckedIOException e) {
                call.cancel("the HTTP client went away", null);
                closed = true;
                return Status.Code.CANCELLED;
            }
        }

        private Status.Code finish(Closed c) {
            if (!c.status().isOk()) {
                fail(GatewayError.fromStatus(c.status(), c.trailers()));
                return c.status().getCode();
            }
            if (method.isServerStreaming()) {
                commit();
                try {
                    out.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return Status.Code.OK;
            }
            if (unary == null) {
                fail(GatewayError.of(Status.Code.INTERNAL, "the call ended without a response message"));
                return Status.Code.INTERNAL;
            }
            HeaderMapping.copy(headers, HeaderMapping.METADATA_PREFIX_HEADER, response);
            HeaderMapping.copy(c.trailers(), HeaderMapping.TRAILER_PREFIX, response);
            response.header(HeaderNames.CONTENT_TYPE, "application/json");
            response.send(JsonOutput.text(DynamicCall.parse(method.getOutputType(), unary)));
            return Status.Code.OK;
        }

        private void fail(GatewayError error) {
            if (out == null) {
                HeaderMapping.copy(headers, HeaderMapping.METADATA_PREFIX_HEADER, response);
                Routes.send(response, error);
                return;
            }
            String body = error.body().toString();
            write((output == Output.SSE ? "event: error\ndata: " + body + "\n\n" : "{\"error\":" + body + "}\n")
                    .getBytes(StandardCharsets.UTF_8));
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void commit() {
            if (out != null) {
                return;
            }
            HeaderMapping.copy(headers, HeaderMapping.METADATA_PREFIX_HEADER, response);
            response.header(HeaderNames.CONTENT_TYPE, output == Output.SSE ? "text/event-stream" : "application/x-ndjson");
            if (output == Output.SSE) {
                response.header(HeaderNames.CACHE_CONTROL, "no-cache");
            }
            out = response.outputStream();
        }

        private void write(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The whole body, refused with 413 beyond the limit: at once by its Content-Length, else as it is read. */
    byte[] readBody(ServerRequest request) {
        int limit = options.maxBodySize();
        if (request.headers().contentLength().orElse(0) > limit) {
            throw GatewayError.tooLarge("the request body", limit);
        }
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw GatewayError.tooLarge("the request body", limit);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line without its end, null at the end of the stream; a line over the limit is a 413. */
    private byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int limit = options.maxBodySize();
        for (int b = in.read(); b != -1; b = in.read()) { // ends at a newline, the limit or the end of the body
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() >= limit) {
                throw GatewayError.tooLarge("a line of the request stream", limit);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toByteArray();
    }
}
