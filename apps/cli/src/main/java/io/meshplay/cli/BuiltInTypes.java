package io.meshplay.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.health.v1.HealthProto;
import io.meshplay.example.proto.ExampleOuterClass;
import io.meshplay.grpcjson.descriptor.ProtoTypes;

/**
 * The types the CLI knows without asking a server: the example contract (the descriptor set
 * meshplay-example-proto ships) and grpc.health.v1; or a {@code --descriptor} file instead.
 */
final class BuiltInTypes {

    /** Where meshplay-example-proto puts its descriptor set (protoc --include_imports). */
    static final String EXAMPLE_PROTOSET = "META-INF/meshplay/example.protoset";

    private BuiltInTypes() {
    }

    /** The example contract, from its descriptor set, or from the generated classes if the set is missing. */
    static ProtoTypes example() {
        return ProtoTypes.of(exampleFiles(), "the example contract");
    }

    /** What {@code call} falls back to without server reflection. */
    static ProtoTypes builtIn() {
        List<FileDescriptor> files = new ArrayList<>(exampleFiles());
        files.add(HealthProto.getDescriptor());
        return ProtoTypes.of(files, "the built-in descriptors (example contract, grpc.health.v1)");
    }

    /** {@code --descriptor} when given, else the example contract. */
    static ProtoTypes of(Path descriptorOrNull) {
        return descriptorOrNull == null ? example() : ProtoTypes.fromFile(descriptorOrNull);
    }

    private static List<FileDescriptor> exampleFiles() {
        return ProtoTypes.resource(BuiltInTypes.class.getClassLoader(), EXAMPLE_PROTOSET, "the example contract")
                .orElseGet(() -> List.of(ExampleOuterClass.getDescriptor()));
    }
}
