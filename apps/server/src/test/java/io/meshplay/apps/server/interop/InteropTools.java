package io.meshplay.apps.server.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import io.meshplay.testing.Processes;

/**
 * The foreign clients' runtimes and inputs. Under {@code make test} (deploy/local/test sets
 * MESHPLAY_TEST_PROVISIONED) the provisioned tools must come in through their environment variables, and a
 * missing one fails the suite; from an IDE the provisioning script is run on demand.
 */
final class InteropTools {

    private static final List<String> GRPC_PROTOS = List.of(
            "grpc/health/v1/health.proto", "grpc/reflection/v1alpha/reflection.proto", "grpc/reflection/v1/reflection.proto");

    private InteropTools() {
    }

    /** The executable for {@code tool} (python-grpc: a python3 that imports grpc; node-grpc: a node that requires @grpc/grpc-js). */
    static Path tool(String tool) {
        String env = "MESHPLAY_" + tool.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_BIN";
        String provisioned = System.getenv("MESHPLAY_TEST_PROVISIONED");
        if (provisioned != null && (System.getenv(env) == null || System.getenv(env).isBlank())) {
            throw new IllegalStateException("running under deploy/local/test (MESHPLAY_TEST_PROVISIONED=" + provisioned
                    + ") but " + env + " is not set: deploy/local/test must run deploy/local/provision-" + tool
                    + " and export it; the interoperability suite cannot run its " + tool + " client without it");
        }
        return Processes.tool(tool);
    }

    /** A client program under apps/server/src/test/interop. */
    static Path program(String relative) {
        Path p = Processes.repoRoot().resolve("apps/server/src/test/interop").resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no client program at " + p);
        }
        return p;
    }

    /**
     * example.proto from the repo, and grpc.health.v1 / grpc.reflection protos copied out of grpc-java's
     * grpc-services jar on the test classpath, so every client compiles the very definitions the server uses.
     */
    static ForeignClient.Protos protos() {
        Path example = Processes.repoRoot().resolve("modules/example-proto/src/main/proto/example.proto");
        Path dir = Path.of("target", "interop-protos").toAbsolutePath();
        for (String proto : GRPC_PROTOS) {
            try (InputStream in = InteropTools.class.getClassLoader().getResourceAsStream(proto)) {
                if (in == null) {
                    throw new IllegalStateException(proto + " is not on the test classpath (grpc-services jar)");
                }
                Path target = dir.resolve(proto);
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + proto, e);
            }
        }
        return new ForeignClient.Protos(example, dir);
    }
}
