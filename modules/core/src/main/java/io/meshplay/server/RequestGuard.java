package io.meshplay.server;

import java.io.InputStream;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

/**
 * Answers a request message that does not parse with {@code INVALID_ARGUMENT}, at once, on either transport.
 *
 * <p>Why INVALID_ARGUMENT: the client sent bytes that are not the method's message, which is the client's
 * error; gRPC's status guide keeps INTERNAL for "invariants expected by the underlying system have been
 * broken" (a server bug). grpc-java's own answer would be INTERNAL "Invalid protobuf byte sequence", and
 * Helidon's gRPC routing gives no answer at all (it logs the request in hex and leaves the call open until
 * the client's deadline), so both transports disagree with each other and with the guide without this.
 *
 * <p>How: each method's request marshaller is wrapped so that a parse failure yields a {@link Rejected}
 * value instead of an exception, and the call handler turns that value into a closed call. The transports
 * then never see a marshaller exception, so neither logs the request nor hangs.
 */
final class RequestGuard {

    private RequestGuard() {
    }

    /** The same service with every method's requests guarded; schema descriptors are kept (reflection). */
    static ServerServiceDefinition guard(ServerServiceDefinition definition) {
        ServiceDescriptor original = definition.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        var guarded = definition.getMethods().stream().map(RequestGuard::guard).toList();
        guarded.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        guarded.forEach(builder::addMethod);
        return builder.build();
    }

    private static <ReqT, RespT> ServerMethodDefinition<Object, RespT> guard(ServerMethodDefinition<ReqT, RespT> method) {
        MethodDescriptor<ReqT, RespT> original = method.getMethodDescriptor();
        MethodDescriptor<Object, RespT> guarded = original.toBuilder(
                new GuardedMarshaller<>(original.getRequestMarshaller()), original.getResponseMarshaller()).build();
        ServerCallHandler<ReqT, RespT> next = method.getServerCallHandler();
        return ServerMethodDefinition.create(guarded, (call, headers) -> {
            GuardedCall<ReqT, RespT> typed = new GuardedCall<>(call, original);
            return new GuardedListener<>(next.startCall(typed, headers), typed);
        });
    }

    /** A request that did not parse; stands in for the message so the handler can answer it. */
    record Rejected(Status status) {
    }

    private static final class GuardedMarshaller<T> implements MethodDescriptor.Marshaller<Object> {
        private final MethodDescriptor.Marshaller<T> delegate;

        GuardedMarshaller(MethodDescriptor.Marshaller<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        @SuppressWarnings("unchecked")
        public InputStream stream(Object value) {
            return delegate.stream((T) value);
        }

        @Override
        public Object parse(InputStream stream) {
            try {
                return delegate.parse(stream);
            } catch (RuntimeException e) {
                // the parser's own words (e.g. "Protocol message had invalid UTF-8."); they quote no bytes
                Throwable why = e.getCause() != null ? e.getCause() : e;
                return new Rejected(Status.INVALID_ARGUMENT.withDescription(
                        "request message does not parse: " + clip(String.valueOf(why.getMessage()))));
            }
        }

        private static String clip(String s) {
            return s.length() <= 200 ? s : s.substring(0, 200) + "...";
        }
    }

    /** The call as the service sees it (its own request type); closes once, whoever closes first. */
    private static final class GuardedCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
        private final MethodDescriptor<ReqT, RespT> method;
        private boolean closed;

        @SuppressWarnings({"unchecked", "rawtypes"})
        GuardedCall(ServerCall<Object, RespT> call, MethodDescriptor<ReqT, RespT> method) {
            super((ServerCall) call); // the request type only matters to the marshaller, which is the guard's
            this.method = method;
        }

        @Override
        public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
            return method;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (markClosed()) {
                super.close(status, trailers);
            }
        }

        /** Closes with the rejection unless the service closed first; true if this closed the call. */
        boolean reject(Rejected rejected) {
            if (!markClosed()) {
                return false;
            }
            super.close(rejected.status(), new Metadata());
            return true;
        }

        private synchronized boolean markClosed() {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /** Hands parsed messages to the service; a rejected one closes the call and nothing more reaches it but the end. */
    private static final class GuardedListener<ReqT, RespT> extends ForwardingServerCallListener<Object> {
        private final ServerCall.Listener<ReqT> delegate;
        private final GuardedCall<ReqT, RespT> call;
        private volatile boolean rejected;

        GuardedListener(ServerCall.Listener<ReqT> delegate, GuardedCall<ReqT, RespT> call) {
            this.delegate = delegate;
            this.call = call;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected ServerCall.Listener<Object> delegate() {
            return (ServerCall.Listener) delegate;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onMessage(Object message) {
            if (rejected) {
                return;
            }
            if (message instanceof Rejected r) {
                rejected = true;
                if (call.reject(r)) {
                    RejectedCalls.record(RejectedCalls.Reason.UNPARSEABLE, call.getMethodDescriptor().getFullMethodName(), r.status());
                }
                return;
            }
            delegate.onMessage((ReqT) message);
        }

        @Override
        public void onHalfClose() {
            if (!rejected) {
                delegate.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!rejected) {
                delegate.onReady();
            }
        }
    }
}
