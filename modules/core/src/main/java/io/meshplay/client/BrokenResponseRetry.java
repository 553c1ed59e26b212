package io.meshplay.client;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * For idempotent services (hedging on): a unary call whose instance sent the response headers and then vanished
 * (killed between its headers and its message: the chaos lab's kill -9 found it, about one call in 8,000) is sent
 * once more, as a new call on the same channel. grpc-java commits a call to an attempt once its headers arrive, so
 * neither its retry policy nor its hedging sends another attempt, and the call failed with UNAVAILABLE although
 * another instance could answer.
 *
 * <p>The caller sees one call: the response (headers, message, status) is held until the attempt closes, which
 * for a unary call costs nothing, and only the last attempt's is delivered. It runs below the metrics and the
 * distinct-attempts interceptors, so a call is counted once and its new attempt avoids the instances tried.
 */
final class BrokenResponseRetry implements ClientInterceptor {

    private final String service;

    BrokenResponseRetry(String service) {
        this.service = service;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (method.getType() != MethodDescriptor.MethodType.UNARY) {
            return next.newCall(method, options);
        }
        return new RetryingCall<>(method, options, next);
    }

    private final class RetryingCall<Q, R> extends ClientCall<Q, R> {
        private final MethodDescriptor<Q, R> method;
        private final CallOptions options;
        private final Channel next;
        private final Metadata requestHeaders = new Metadata();
        private Listener<R> listener;
        private Q request;
        private ClientCall<Q, R> current;
        private boolean retried;
        private boolean cancelled;

        RetryingCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            this.method = method;
            this.options = options;
            this.next = next;
        }

        @Override
        public void start(Listener<R> responseListener, Metadata headers) {
            listener = responseListener;
            requestHeaders.merge(headers);
            ClientCall<Q, R> call = next.newCall(method, options);
            synchronized (this) {
                current = call;
            }
            call.start(new Attempt(), copy(requestHeaders));
        }

        @Override
        public void request(int numMessages) {
            attempt().request(numMessages);
        }

        @Override
        public void sendMessage(Q message) {
            request = message;
            attempt().sendMessage(message);
        }

        @Override
        public void halfClose() {
            attempt().halfClose();
        }

        @Override
        public void cancel(String message, Throwable cause) {
            ClientCall<Q, R> call;
            synchronized (this) {
                cancelled = true;
                call = current;
            }
            if (call != null) {
                call.cancel(message, cause);
            }
        }

        @Override
        public boolean isReady() {
            return attempt().isReady();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            attempt().setMessageCompression(enabled);
        }

        @Override
        public Attributes getAttributes() {
            return attempt().getAttributes();
        }

        private synchronized ClientCall<Q, R> attempt() {
            return current;
        }

        /** In the attempt's listener, so on the call's executor: the new call starts after the old one closed. */
        private boolean retry(Status status, boolean headersArrived) {
            ClientCall<Q, R> call;
            synchronized (this) {
                if (retried || cancelled || !headersArrived || request == null || status.getCode() != Status.Code.UNAVAILABLE) {
                    return false;
                }
                retried = true;
                call = next.newCall(method, options);
                current = call;
            }
            ClientMetrics.retry(service, method.getFullMethodName());
            call.start(new Attempt(), copy(requestHeaders));
            call.request(1);
            call.sendMessage(request);
            call.halfClose();
            return true;
        }

        private final class Attempt extends Listener<R> {
            private Metadata headers;
            private R message;

            @Override
            public void onHeaders(Metadata responseHeaders) {
                headers = responseHeaders;
            }

            @Override
            public void onMessage(R response) {
                message = response;
            }

            @Override
            public void onReady() {
                listener.onReady();
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (retry(status, headers != null)) {
                    return;
                }
                if (headers != null) {
                    listener.onHeaders(headers);
                }
                if (message != null) {
                    listener.onMessage(message);
                }
                listener.onClose(status, trailers);
            }
        }
    }

    private static Metadata copy(Metadata headers) {
        Metadata m = new Metadata();
        m.merge(headers);
        return m;
    }
}
