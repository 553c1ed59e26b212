package io.meshplay.grpcjson.descriptor;

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
import io.meshplay.grpcjson.GrpcJsonException;

/**
 * Message types and services looked up by name, from linked files, a descriptor set file or a descriptor
 * set on the class path: what the CLI's {@code publish} and {@code subscribe} encode and decode, and what
 * a call uses when there is no server reflection.
 */
public final class ProtoTypes {

    private final Map<String, Descriptor> byFullName = new TreeMap<>();
    private final Map<String, ServiceDescriptor> services = new TreeMap<>();
    private final String source;

    private ProtoTypes(List<FileDescriptor> files, String source) {
        this.source = source;
        files.forEach(this::collect);
    }

    /** Types of files already linked, e.g. {@code SomeProto.getDescriptor()}. */
    public static ProtoTypes of(List<FileDescriptor> files, String source) {
        return new ProtoTypes(files, source);
    }

    /**
     * The files of a descriptor set on the class path ({@code protoc --include_imports}), or empty when the
     * resource is missing or unreadable.
     */
    public static Optional<List<FileDescriptor>> resource(ClassLoader loader, String resource, String source) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in != null) {
                Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
                FileDescriptorSet.parseFrom(in).getFileList().forEach(f -> protos.put(f.getName(), f));
                return Optional.of(FileDescriptors.link(protos, source));
            }
        } catch (IOException e) {
            // the caller falls back to compiled-in descriptors, which say the same
        }
        return Optional.empty();
    }

    /** A descriptor set file ({@code protoc --descriptor_set_out=x.protoset --include_imports}). */
    public static ProtoTypes fromFile(Path file) {
        try {
            return fromSet(FileDescriptorSet.parseFrom(Files.readAllBytes(file)), "the descriptor set " + file);
        } catch (NoSuchFileException e) {
            throw GrpcJsonException.notFound("no descriptor set at " + file + " (--descriptor)");
        } catch (IOException e) {
            throw GrpcJsonException.badInput("cannot read " + file + " as a descriptor set (--descriptor; write one with protoc "
                    + "--descriptor_set_out=FILE --include_imports): " + e.getMessage(), e);
        }
    }

    private static ProtoTypes fromSet(FileDescriptorSet set, String source) {
        Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
        set.getFileList().forEach(f -> protos.put(f.getName(), f));
        return new ProtoTypes(FileDescriptors.link(protos, source), source);
    }

    /**
     * The type by full name ({@code pkg.Msg}) or, when that is unambiguous, by its simple name.
     *
     * @throws GrpcJsonException not found, listing the known types
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
            throw GrpcJsonException.badInput("message type '" + name + "' is ambiguous in " + source + "; use one of "
                    + bySimple.stream().map(Descriptor::getFullName).toList());
        }
        throw GrpcJsonException.notFound("no message type '" + name + "' in " + source + "; known: "
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
