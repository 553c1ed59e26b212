package io.meshplay.apps.server.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import io.meshplay.testing.Processes;

/**
 * A client program in another language (src/test/interop/python, node), one process per case, started
 * with the address the test resolved from Consul. Its stderr goes to a log file under target/.
 */
final class ForeignClient implements Session.Client {

    private final String name;
    private final List<String> command;
    private final Path logDir;

    private ForeignClient(String name, List<String> command) {
        this.name = name;
        this.command = command;
        this.logDir = Path.of("target", "interop-logs");
    }

    static ForeignClient python(Path python, Path program, Protos protos) {
        return new ForeignClient("python", List.of(python.toString(), program.toString(),
                "--example-proto", protos.example().toString(), "--grpc-protos", protos.grpcDir().toString()));
    }

    static ForeignClient node(Path node, Path program, Protos protos) {
        return new ForeignClient("node", List.of(node.toString(), program.toString(),
                "--example-proto", protos.example().toString(), "--grpc-protos", protos.grpcDir().toString()));
    }

    /** Where the clients load their .proto files from. */
    record Protos(Path example, Path grpcDir) {
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Session start(String kase, ConsulView.Target target) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("--target", target.address(), "--case", kase));
        try {
            Files.createDirectories(logDir);
            Path stderr = logDir.resolve(name + "-" + kase + "-" + System.currentTimeMillis() + ".stderr.log");
            Process process = new ProcessBuilder(full)
                    .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                    .start();
            return new ProcessSession(process, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + full, e);
        }
    }

    private static final class ProcessSession implements Session {
        private final Process process;
        private final Path stderr;
        private final BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
        private final List<String> notJson = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread reader;

        ProcessSession(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.reader = Thread.ofPlatform().daemon().name("interop-stdout-" + process.pid()).start(this::read);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    try {
                        lines.add(JsonParser.parseString(line).getAsJsonObject());
                    } catch (JsonSyntaxException | IllegalStateException e) {
                        notJson.add(line);
                    }
                }
            } catch (IOException e) {
                notJson.add("(stdout closed: " + e.getMessage() + ")");
            }
        }

        @Override
        public JsonObject next(Duration timeout) {
            try {
                JsonObject line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (line != null) {
                    return line;
                }
                // the reader may still be draining the last lines of a process that just ended
                reader.join(Duration.ofSeconds(2));
                line = lines.poll();
                if (line != null) {
                    return line;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            String state = process.isAlive() ? "still running after " + timeout : "exited with " + process.exitValue();
            throw new IllegalStateException(String.join(" ", process.info().commandLine().orElse("client")) + " " + state
                    + " without a result line; stdout (not JSON): " + notJson + "; stderr: " + tail());
        }

        @Override
        public void proceed() {
            try {
                Writer w = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
                w.write("go\n");
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to the client's stdin", e);
            }
        }

        private String tail() {
            try {
                String all = Files.readString(stderr);
                return all.length() > 4000 ? "..." + all.substring(all.length() - 4000) : all;
            } catch (IOException e) {
                return "(cannot read " + stderr + ")";
            }
        }

        @Override
        public void close() {
            Processes.stop(process, Duration.ofSeconds(3));
        }
    }
}
