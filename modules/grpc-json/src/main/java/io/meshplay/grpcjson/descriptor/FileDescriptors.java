package io.meshplay.grpcjson.descriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import io.meshplay.grpcjson.GrpcJsonException;

/**
 * Links {@link FileDescriptorProto}s (from a descriptor set or from server reflection) into usable
 * {@link FileDescriptor}s, dependencies first. Well-known types may be left out of the input: the
 * copies compiled into protobuf-java are used then.
 */
public final class FileDescriptors {

    private static final Map<String, FileDescriptor> WELL_KNOWN = Map.of(
            "google/protobuf/any.proto", AnyProto.getDescriptor(),
            "google/protobuf/duration.proto", DurationProto.getDescriptor(),
            "google/protobuf/empty.proto", EmptyProto.getDescriptor(),
            "google/protobuf/struct.proto", StructProto.getDescriptor(),
            "google/protobuf/timestamp.proto", TimestampProto.getDescriptor(),
            "google/protobuf/wrappers.proto", WrappersProto.getDescriptor());

    private final Map<String, FileDescriptorProto> protos;
    private final Map<String, FileDescriptor> built = new HashMap<>();
    private final String source;

    private FileDescriptors(Map<String, FileDescriptorProto> protos, String source) {
        this.protos = protos;
        this.source = source;
    }

    /**
     * @param protos by file name
     * @param source where they came from, for errors (e.g. "the descriptor set x.protoset")
     */
    public static List<FileDescriptor> link(Map<String, FileDescriptorProto> protos, String source) {
        FileDescriptors linker = new FileDescriptors(protos, source);
        List<FileDescriptor> files = new ArrayList<>();
        for (String name : protos.keySet()) {
            files.add(linker.build(name, new ArrayList<>()));
        }
        return files;
    }

    /** Names of files {@code proto} imports that are neither in {@code known} nor well-known. */
    public static List<String> missingDependencies(FileDescriptorProto proto, Map<String, FileDescriptorProto> known) {
        return proto.getDependencyList().stream()
                .filter(d -> !known.containsKey(d) && !WELL_KNOWN.containsKey(d))
                .toList();
    }

    private FileDescriptor build(String name, List<String> path) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            FileDescriptor wellKnown = WELL_KNOWN.get(name);
            if (wellKnown != null) {
                return wellKnown;
            }
            throw GrpcJsonException.failed(source + " lacks '" + name + "', imported by " + String.join(" <- ", path.reversed())
                    + " (build descriptor sets with protoc --include_imports)");
        }
        if (path.contains(name)) {
            throw GrpcJsonException.failed(source + " has an import cycle: " + String.join(" -> ", path) + " -> " + name);
        }
        path.add(name);
        List<FileDescriptor> deps = new ArrayList<>();
        for (String dep : proto.getDependencyList()) {
            deps.add(build(dep, path));
        }
        path.remove(path.size() - 1);
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new));
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw GrpcJsonException.failed(source + " has an invalid '" + name + "': " + e.getMessage(), e);
        }
    }
}
