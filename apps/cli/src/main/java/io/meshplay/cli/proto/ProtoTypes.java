package io.meshplay.cli.proto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.health.v1.HealthProto;
import io.meshplay.cli.CliException;
import io.meshplay.example.proto.ExampleOuterClass;

/**
 * The message types {@code publish} and {@code subscribe} can encode and decode, and the services
 * {@code call} knows without server reflection: the example contract (the descriptor set
 * meshplay-example-proto ships) or a {@code --descriptor} file.
 */
public final class ProtoTypes {

    /** Where meshplay-example-proto puts its descriptor set (protoc --include_imports). */
    public static final String EXAMPLE_PROTOSET = "META-INF/meshplay/example.protoset";

    private final Map<String, Descriptor> byFullName = new TreeMap<>();
    private final Map<String, ServiceDescriptor> services = new TreeMap<>();
    private final String source;

    private ProtoTypes(List<FileDescriptor> files, String source) {
        this.source = source;
        files.forEach(this::collect);
    }

    /** The example contract, from its descriptor set, or from the generated classes if the set is missing. */
    public static ProtoTypes example() {
        return new ProtoTypes(exampleFiles(), "the example contract");
    }

    /** What the CLI knows without asking a server: the example contract and grpc.health.v1. */
    public static ProtoTypes builtIn() {
        List<FileDescriptor> files = new ArrayList<>(exampleFiles());
        files.add(HealthProto.getDescriptor());
        return new ProtoTypes(files, "the built-in descriptors (example contract, grpc.health.v1)");
    }

    private static List<FileDescriptor> exampleFiles() {
        try (InputStream in = ProtoTypes.class.getClassLoader().getResourceAsStream(EXAMPLE_PROTOSET)) {
            if (in != null) {
                Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
                FileDescriptorSet.parseFrom(in).getFileList().forEach(f -> protos.put(f.getName(), f));
                return FileDescriptors.link(protos, "the example contract");
            }
        } catch (IOException e) {
            // fall through to the compiled-in descriptors, which say the same
        }
        return List.of(ExampleOuterClass.getDescriptor());
    }

    /** A descriptor set file ({@code protoc --descriptor_set_out=x.protoset --include_imports}). */
    public static ProtoTypes fromFile(Path file) {
        try {
            return fromSet(FileDescriptorSet.parseFrom(Files.readAllBytes(file)), "the descriptor set " + file);
        } catch (NoSuchFileException e) {
            throw CliException.notFound("no descriptor set at " + file + " (--descriptor)");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + " as a descriptor set (--descriptor; write one with protoc "
                    + "--descriptor_set_out=FILE --include_imports): " + e.getMessage(), e);
        }
    }

    public static ProtoTypes of(Path descriptorOrNull) {
        return descriptorOrNull == null ? example() : fromFile(descriptorOrNull);
    }

    private static ProtoTypes fromSet(FileDescriptorSet set, String source) {
        Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
        set.getFileList().forEach(f -> protos.put(f.getName(), f));
        return new ProtoTypes(FileDescriptors.link(protos, source), source);
    }

    /**
     * The type by full name ({@code pkg.Msg}) or, when that is unambiguous, by its simple name.
     *
     * @throws CliException not found (exit 3) listing the known types
     */
    public Descriptor find(String name) {
        String wanted = name.startsWith(".") ? name.substring(1) : name;
        Descriptor exact = byFullName.get(wanted);
        if (exact != null) {
            return exact;
        }
        List<Descriptor> bySimple = new ArrayList<>();
        byFullName.values().forEach(d -> {
            if (d.getName().equals(wanted)) {
                bySimple.add(d);
            }
        });
        if (bySimple.size() == 1) {
            return bySimple.get(0);
        }
        if (bySimple.size() > 1) {
            throw CliException.usage("message type '" + name + "' is ambiguous in " + source + "; use one of "
                    + bySimple.stream().map(Descriptor::getFullName).toList());
        }
        throw CliException.notFound("no message type '" + name + "' in " + source + "; known: "
                + String.join(", ", byFullName.keySet()));
    }

    /** Where the types come from, for messages: "the example contract", "the descriptor set x". */
    public String source() {
        return source;
    }

    /** The service by full name or, when unambiguous, by simple name. */
    public Optional<ServiceDescriptor> service(String name) {
        ServiceDescriptor exact = services.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        List<ServiceDescriptor> bySimple = services.values().stream().filter(s -> s.getName().equals(name)).toList();
        return bySimple.size() == 1 ? Optional.of(bySimple.get(0)) : Optional.empty();
    }

    public Set<String> serviceNames() {
        return services.keySet();
    }

    private void collect(FileDescriptor file) {
        file.getMessageTypes().forEach(this::collect);
        file.getServices().forEach(s -> services.put(s.getFullName(), s));
    }

    private void collect(Descriptor type) {
        if (type.getOptions().getMapEntry()) {
            return;
        }
        byFullName.put(type.getFullName(), type);
        type.getNestedTypes().forEach(this::collect);
    }
}
