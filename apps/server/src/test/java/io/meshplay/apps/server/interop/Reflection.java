package io.meshplay.apps.server.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;

import static io.meshplay.apps.server.interop.JavaClient.check;

/**
 * The reflection cases for grpc-java: list the services, then ask for the file defining {@code Example}.
 * v1alpha and v1 are the same protocol in two generated packages, so each version is a thin adapter.
 */
final class Reflection {

    private Reflection() {
    }

    /** What one reflection response held: service names, file descriptors, or an error. */
    private record Answer(List<String> services, List<ByteString> files, String error) {
    }

    static Map<String, Object> v1alpha(Channel channel) throws Exception {
        var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        List<Answer> answers = exchange(observer -> stub.serverReflectionInfo(adapt(observer, r -> new Answer(
                        r.getListServicesResponse().getServiceList().stream().map(s -> s.getName()).toList(),
                        r.getFileDescriptorResponse().getFileDescriptorProtoList(),
                        r.hasErrorResponse() ? r.getErrorResponse().getErrorMessage() : null))),
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setFileContainingSymbol("Example").build());
        return verify(answers);
    }

    static Map<String, Object> v1(Channel channel) throws Exception {
        var stub = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        List<Answer> answers = exchange(observer -> stub.serverReflectionInfo(adapt(observer, r -> new Answer(
                        r.getListServicesResponse().getServiceList().stream().map(s -> s.getName()).toList(),
                        r.getFileDescriptorResponse().getFileDescriptorProtoList(),
                        r.hasErrorResponse() ? r.getErrorResponse().getErrorMessage() : null))),
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build(),
                io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setFileContainingSymbol("Example").build());
        return verify(answers);
    }

    private static Map<String, Object> verify(List<Answer> answers) throws Exception {
        check(answers.size() == 2, answers.size() + " responses to 2 requests");
        check(answers.get(0).error() == null, "list_services: " + answers.get(0).error());
        List<String> services = answers.get(0).services().stream().sorted().toList();
        check(services.contains("Example"), "services " + services);
        check(answers.get(1).error() == null, "Example: " + answers.get(1).error());
        List<String> methods = new ArrayList<>();
        for (ByteString bytes : answers.get(1).files()) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
            file.getServiceList().stream().filter(s -> s.getName().equals("Example"))
                    .forEach(s -> s.getMethodList().stream().map(MethodDescriptorProto::getName).forEach(methods::add));
        }
        methods.sort(null);
        check(methods.equals(List.of("Call", "PingPong", "Stream")), "Example's methods " + methods);
        return Map.of("services", services, "methods", methods);
    }

    private static <Q> List<Answer> exchange(java.util.function.Function<StreamObserver<Answer>, StreamObserver<Q>> open,
                                             Q first, Q second) throws Exception {
        CompletableFuture<List<Answer>> done = new CompletableFuture<>();
        List<Answer> answers = new ArrayList<>();
        StreamObserver<Q> requests = open.apply(new StreamObserver<>() {
            @Override
            public void onNext(Answer answer) {
                answers.add(answer);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(answers);
            }
        });
        requests.onNext(first);
        requests.onNext(second);
        requests.onCompleted();
        return JavaClient.unwrap(done, 15);
    }

    private static <R> StreamObserver<R> adapt(StreamObserver<Answer> to, java.util.function.Function<R, Answer> map) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                to.onNext(map.apply(value));
            }

            @Override
            public void onError(Throwable t) {
                to.onError(t);
            }

            @Override
            public void onCompleted() {
                to.onCompleted();
            }
        };
    }
}
