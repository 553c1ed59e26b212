package io.meshplay.apps.gateway;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.UUID;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.meshplay.grpcjson.GrpcJsonException;

/**
 * A failure as the HTTP client sees it: the HTTP status grpc-gateway gives the gRPC code
 * ({@code runtime.HTTPStatusFromCode}) and the body {@code {"code","message","details"}}, details being
 * the {@code google.rpc.Status} details as JSON ({@code Any} with {@code @type}). Never a stack trace:
 * an unexpected exception is logged with an id and the client gets only the id.
 */
final class GatewayError extends RuntimeException {

    static final String DOMAIN = "gateway.meshplay.io";

    private static final System.Logger LOG = System.getLogger(GatewayError.class.getName());
    private static final JsonFormat.Printer DETAILS = JsonFormat.printer().omittingInsignificantWhitespace()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(ErrorDetailsProto.getDescriptor().getMessageTypes()).build());

    private final int httpStatus;
    private final Status.Code code;
    private final List<Any> details;
    private final String reason;

    GatewayError(int httpStatus, Status.Code code, String message, List<Any> details) {
        this(httpStatus, code, message, details, "");
    }

    private GatewayError(int httpStatus, Status.Code code, String message, List<Any> details, String reason) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
        this.details = List.copyOf(details);
        this.reason = reason;
    }

    /** grpc-gateway v2's {@code HTTPStatusFromCode}. */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            default -> 500; // UNKNOWN, INTERNAL, DATA_LOSS
        };
    }

    static GatewayError of(Status.Code code, String message) {
        return new GatewayError(httpStatus(code), code, message, List.of());
    }

    /** With an ErrorInfo detail whose reason and metadata a program can read (e.g. what exists instead). */
    static GatewayError of(Status.Code code, int httpStatus, String message, String reason, java.util.Map<String, String> metadata) {
        ErrorInfo info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).putAllMetadata(metadata).build();
        return new GatewayError(httpStatus, code, message, List.of(Any.pack(info)), reason);
    }

    static GatewayError badRequest(String message) {
        return of(Status.Code.INVALID_ARGUMENT, message);
    }

    /** @param what e.g. "the request body", "a line of the request stream" */
    static GatewayError tooLarge(String what, long limit) {
        return new GatewayError(413, Status.Code.RESOURCE_EXHAUSTED, what + " is larger than gateway.max-body-size ("
                + limit + " bytes)", List.of());
    }

    /** A call's outcome: the server's status with the details it sent in {@code grpc-status-details-bin}. */
    static GatewayError fromStatus(Status status, Metadata trailers) {
        com.google.rpc.Status rich = StatusProto.fromStatusAndTrailers(status, trailers);
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        return new GatewayError(httpStatus(status.getCode()), status.getCode(), message, rich.getDetailsList());
    }

    /** Whatever a request ended with, as what the client may see. */
    static GatewayError from(Throwable t) {
        if (t instanceof GatewayError g) {
            return g;
        }
        if (t instanceof StatusRuntimeException s) {
            return fromStatus(s.getStatus(), s.getTrailers() == null ? new Metadata() : s.getTrailers());
        }
        if (t instanceof GrpcJsonException g) {
            return switch (g.kind()) {
                case NOT_FOUND -> of(Status.Code.NOT_FOUND, g.getMessage());
                case BAD_INPUT -> badRequest(g.getMessage());
                // the service answered but cannot be described (no reflection, broken descriptors)
                case FAILED -> new GatewayError(502, Status.Code.UNKNOWN, g.getMessage(), List.of());
            };
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.WARNING, "request failed unexpectedly (error id " + id + ")", t);
        return of(Status.Code.INTERNAL, "internal gateway error (error id " + id + " in the gateway's log)");
    }

    /** The ErrorInfo reason of the gateway's own errors ({@code SERVICE_NOT_FOUND}...), else empty. */
    String reason() {
        return reason;
    }

    int httpStatus() {
        return httpStatus;
    }

    Status.Code code() {
        return code;
    }

    /** {@code {"code":<gRPC code number>,"message":"...","details":[...]}}. */
    JsonObject body() {
        JsonObject body = new JsonObject();
        body.addProperty("code", code.value());
        body.addProperty("message", getMessage());
        JsonArray array = new JsonArray();
        details.forEach(d -> array.add(detail(d)));
        body.add("details", array);
        return body;
    }

    private static JsonElement detail(Any any) {
        try {
            return JsonParser.parseString(DETAILS.print(any));
        } catch (InvalidProtocolBufferException e) {
            // a detail type the gateway does not know: its name and bytes, as protobuf's JSON would show it
            JsonObject unknown = new JsonObject();
            unknown.addProperty("@type", any.getTypeUrl());
            unknown.addProperty("value", java.util.Base64.getEncoder().encodeToString(any.getValue().toByteArray()));
            return unknown;
        }
    }
}
