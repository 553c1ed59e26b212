package io.meshplay.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.meshplay.apps.pingpong.PingPongMain;
import io.meshplay.apps.publisher.PublisherMain;
import io.meshplay.apps.stream.StreamMain;
import io.meshplay.testing.Ports;
import io.meshplay.testing.Processes;
import io.meshplay.testing.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code deploy/local/demo}, the real script, interrupted in each of its phases the ways a person or a
 * machine stops it (Ctrl-C to the terminal's process group, SIGTERM to its PID, SIGHUP from a closed
 * terminal), leaves no process behind and no port listening. The run that reaches the serving phase also
 * checks the connect-mode walkthrough: a plaintext call admitted, client-pingpong denied, and its recovery.
 *
 * <p>Each run gets its own {@code MESHPLAY_RUN} folder, which every process the demo starts inherits in
 * its environment: that is how the test finds the demo's processes in /proc without knowing their PIDs,
 * and without touching a developer's demo or another test's processes. Ports come from
 * {@link Ports#free()}; the apps run from this test's classpath ({@code MESHPLAY_DEMO_CLASSPATH}), so the
 * demo starts no Maven build inside the test's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoInterruptTest {

    private static final Path ROOT = Processes.repoRoot();
    /** Every run's folder lies under this one, so the backstop finds whatever any run left. */
    private static final Path RUNS = Path.of("target", "demo-interrupt",
            "runs-" + ProcessHandle.current().pid() + "-" + System.nanoTime()).toAbsolutePath();
    private static final Pattern TRACE = Pattern.compile("trace ([0-9a-f]{32})   (http://127\\.0\\.0\\.1:\\d+/zipkin/traces/\\1)");
    private static final Pattern SERVING = Pattern.compile("serving \\S+ as \\S+ on [^ ]*:(\\d+)");

    @BeforeAll
    static void linuxOnly() {
        // the demo needs setsid and flock, and this test reads /proc
        assumeTrue(Files.isReadable(Path.of("/proc/self/environ")), "needs Linux /proc");
    }

    @Test
    void sigtermDuringStartUpStopsInfrastructureAndStartingServers() {
        // --plaintext here (the other runs are connect mode, the default): tls.mode=off reaches the servers
        try (Demo demo = Demo.start("startup", ROOT, Map.of(), "--plaintext")) {
            // both server JVMs are starting (not yet serving), Consul and Azurite run
            demo.awaitOutput("starting server 2 (free port, registers in Consul, tls.mode=off)");
            assertThat(demo.processes()).as("the demo's processes")
                    .anyMatch(p -> p.contains("ServerMain"))
                    .noneMatch(p -> p.contains("tls.mode=connect"));
            demo.signal("TERM", false);
            assertThat(demo.awaitExit()).as("exit code; output:%n%s", demo.output()).isEqualTo(143);
            demo.assertNothingLeft();
        }
    }

    @Test
    void ctrlCDuringTheClientPhaseStopsTheClients() {
        try (Demo demo = Demo.start("clients", ROOT, Map.of())) {
            demo.awaitOutput("running client-pingpong");
            // the publisher sends one message a second, so it is still running when the signal comes
            demo.awaitProcessesSeen(List.of(PingPongMain.class.getName(), StreamMain.class.getName(),
                    PublisherMain.class.getName()));
            List<String> atSignal = demo.processes();
            demo.signal("INT", true);
            assertThat(atSignal).as("processes when Ctrl-C came")
                    .anyMatch(p -> p.contains(PublisherMain.class.getName()));
            assertThat(demo.awaitExit()).as("exit code; output:%n%s", demo.output()).isEqualTo(130);
            assertThat(demo.output()).contains("both servers deregistered from Consul");
            demo.assertNothingLeft();
        }
    }

    @Test
    void sighupWhileServingStopsTheMesh() {
        // only to shorten the client phase this test waits through: 10 messages in 1 s, not 10 s
        try (Demo demo = Demo.start("serving", ROOT, Map.of("PUBLISHER_INTERVAL", "100ms"))) {
            // each phase within its own timeout: the denial walkthrough (connect mode) runs five more JVMs
            demo.awaitOutput("tls.mode=connect: mutual TLS");
            demo.awaitOutput("the mesh keeps running");
            // the walkthrough reached serving only if every step worked; these are what a user reads
            assertThat(demo.output()).as("the demo's output")
                    .containsPattern("plaintext call \\(CLI with --set tls.mode=off\\): \\{ \"msg\": \"Hello plaintext\" \\}")
                    .containsPattern("denied: client-pingpong \\(exit 1\\): PERMISSION_DENIED: client-pingpong may not call example: "
                            + "intentions deny client-pingpong -> example")
                    .contains("metric: grpc_server_denied_total{destination=\"example\"")
                    .contains("recovered: client-pingpong got 3 pongs")
                    .contains("traced call: meshplay-cli -> example -> queue greetings -> greeter, one trace:");
            // the trace the demo printed, as a person opens it: Zipkin's UI in a real browser shows its three services
            Matcher trace = TRACE.matcher(demo.output());
            assertThat(trace.find()).as("a trace URL in the output").isTrue();
            Browser.PageText page = Browser.open(trace.group(2), List.of("meshplay-cli", "example", "greeter"),
                    Duration.ofSeconds(60), RUNS.resolve("serving").resolve("zipkin-trace.png"));
            assertThat(page.text()).contains(trace.group(1)).contains("process greetings");
            demo.signal("HUP", true);
            // exit 0 also says the servers deregistered: the demo exits 1 when one is still in Consul
            assertThat(demo.awaitExit()).as("exit code; output:%n%s", demo.output()).isEqualTo(0);
            assertThat(demo.output()).contains("both servers deregistered from Consul");
            demo.assertNothingLeft();
        }
    }

    /**
     * The build the demo starts when the apps' jars are stale: a copy of deploy/local in a folder with no
     * apps, whose Maven wrapper is a stand-in that runs until stopped with a child in its process group and
     * one in a session of its own (only the demo's backstop finds that one).
     */
    @Test
    void ctrlCDuringTheBuildStopsMaven() throws IOException {
        Path fakeRoot = RUNS.resolve("fake-root");
        copyTree(ROOT.resolve("deploy/local"), fakeRoot.resolve("deploy/local"));
        Path mvnw = fakeRoot.resolve("mvnw");
        Files.writeString(mvnw, """
                #!/usr/bin/env bash
                sleep 600 &
                setsid sleep 600 &
                echo started >"$MESHPLAY_RUN/fake-build-started"
                wait
                """);
        assertThat(mvnw.toFile().setExecutable(true)).isTrue();
        try (Demo demo = Demo.start("build", fakeRoot, Map.of())) {
            demo.awaitOutput("building apps/server");
            demo.awaitFile("fake-build-started");
            demo.signal("INT", true);
            assertThat(demo.awaitExit()).as("exit code; output:%n%s", demo.output()).isEqualTo(130);
            demo.assertNothingLeft();
        }
    }

    @AfterAll
    static void noDemoProcessOutlivesTheTests() {
        if (!Files.isDirectory(Path.of("/proc"))) {
            return;
        }
        List<ProcessHandle> left = DemoProcesses.under(RUNS);
        for (ProcessHandle p : left) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : left) {
            p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
        assertThat(left.stream().map(DemoProcesses::describe).toList())
                .as("processes of a demo still running after the tests (killed now)").isEmpty();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** One run of the demo script, in a process group of its own as a shell gives a foreground job. */
    private static final class Demo implements AutoCloseable {

        private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);
        /** The demo's own stopping takes up to 20 s for servers and 10 s for each tool, if all hang. */
        private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(75);
        private static final Duration POLL = Duration.ofMillis(50);

        private final Path run;
        private final Path out;
        private final Process process;
        private final int[] ports;

        private Demo(Path run, Process process, int[] ports) {
            this.run = run;
            this.out = run.resolve("demo.out");
            this.process = process;
            this.ports = ports;
        }

        /**
         * @param name what the run is for (its folder's name)
         * @param root the tree whose deploy/local/demo runs; the repo's own tree runs the apps from this
         *             test's classpath
         * @param env  extra environment for the demo and, through it, the apps
         * @param args the demo's arguments
         */
        static Demo start(String name, Path root, Map<String, String> env, String... args) {
            Path run = RUNS.resolve(name);
            int[] ports = Ports.free(10);
            try {
                Files.createDirectories(run);
                List<String> command = new ArrayList<>(List.of(
                        // setsid: the demo leads its own process group, as a terminal's foreground job does,
                        // so "Ctrl-C" is a SIGINT to that group. env --default-signal: a JVM started with
                        // SIGINT ignored (Maven run as a background job) passes that on, and bash cannot trap
                        // a signal ignored at its start.
                        "setsid", "env", "--default-signal=INT,TERM,HUP",
                        root.resolve("deploy/local/demo").toString()));
                command.addAll(List.of(args));
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(root.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(run.resolve("demo.out").toFile());
                Map<String, String> environment = builder.environment();
                // the caller's settings for the apps (or a demo's) must not steer this demo anywhere else
                environment.keySet().removeIf(k -> k.startsWith("MESHPLAY_DEMO_")
                        || Stream.of("REGISTRY_", "BROKER_", "CLIENT_", "SERVER_", "SERVICE_", "PUBLISHER_",
                                "SUBSCRIBER_", "CONSUL_HTTP_", "TRACING_").anyMatch(k::startsWith));
                environment.put("MESHPLAY_RUN", run.toString());
                environment.put("MESHPLAY_DEMO_CONSUL_PORT", String.valueOf(ports[0]));
                environment.put("MESHPLAY_DEMO_AZURITE_PORT", String.valueOf(ports[1]));
                environment.put("MESHPLAY_DEMO_PROMETHEUS_PORT", String.valueOf(ports[2]));
                environment.put("MESHPLAY_DEMO_CONSUL_SERVER_PORT", String.valueOf(ports[3]));
                environment.put("MESHPLAY_DEMO_CONSUL_SERF_LAN_PORT", String.valueOf(ports[4]));
                environment.put("MESHPLAY_DEMO_CONSUL_SERF_WAN_PORT", String.valueOf(ports[5]));
                environment.put("MESHPLAY_DEMO_CONSUL_DNS_PORT", String.valueOf(ports[6]));
                environment.put("MESHPLAY_DEMO_CONSUL_GRPC_PORT", String.valueOf(ports[7]));
                environment.put("MESHPLAY_DEMO_ZIPKIN_PORT", String.valueOf(ports[8]));
                environment.put("MESHPLAY_DEMO_GATEWAY_PORT", String.valueOf(ports[9]));
                if (root.equals(ROOT)) {
                    // every app's classes and dependencies are on this test's classpath (see the pom)
                    environment.put("MESHPLAY_DEMO_CLASSPATH", System.getProperty("java.class.path"));
                }
                // Consul's first gRPC check of a server comes up to one interval after it registers
                environment.put("REGISTRY_CONSUL_CHECK_INTERVAL", "1s");
                environment.putAll(env);
                Demo demo = new Demo(run, builder.start(), ports);
                demo.awaitOwnProcessGroup();
                return demo;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the demo", e);
            }
        }

        /** Group signals below are only safe if the demo leads its own group (setsid has run). */
        private void awaitOwnProcessGroup() {
            long[] group = {-1};
            poll("the demo (pid " + process.pid() + ") to lead its own process group", Duration.ofSeconds(10), () -> {
                group[0] = DemoProcesses.processGroup(process.pid());
                return group[0] == process.pid();
            });
        }

        void awaitOutput(String text) {
            poll("'" + text + "' in the demo's output", PHASE_TIMEOUT, () -> output().contains(text));
        }

        void awaitFile(String name) {
            poll(name + " in " + run, PHASE_TIMEOUT, () -> Files.exists(run.resolve(name)));
        }

        /** Waits until a process of this demo whose command line holds each of {@code needles} has been seen. */
        void awaitProcessesSeen(List<String> needles) {
            Set<String> seen = new HashSet<>();
            poll("processes " + needles, PHASE_TIMEOUT, () -> {
                for (String p : processes()) {
                    needles.stream().filter(p::contains).forEach(seen::add);
                }
                return seen.containsAll(needles);
            });
        }

        /** The demo's processes other than the demo itself, as "pid command line". */
        List<String> processes() {
            return DemoProcesses.under(run).stream()
                    .filter(p -> p.pid() != process.pid())
                    .map(DemoProcesses::describe)
                    .toList();
        }

        /** {@code kill -s <signal>} to the demo's PID, or to its process group as a terminal's Ctrl-C is. */
        void signal(String signal, boolean toGroup) {
            long pid = process.pid();
            if (pid <= 1 || pid == ProcessHandle.current().pid()) {
                throw new IllegalStateException("refusing to signal pid " + pid);
            }
            String target = toGroup ? "-" + pid : String.valueOf(pid);
            try {
                Process kill = new ProcessBuilder("kill", "-s", signal, "--", target).redirectErrorStream(true).start();
                if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                    kill.destroyForcibly();
                    throw new IllegalStateException("kill -s " + signal + " -- " + target + " did not finish");
                }
                String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(kill.exitValue()).as("kill -s %s -- %s: %s", signal, target, said).isZero();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        int awaitExit() {
            try {
                if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the demo did not exit within " + EXIT_TIMEOUT + " of the signal; output:\n"
                            + output());
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** No process of this run is left, and none of its ports (the tools' and the servers') listens. */
        void assertNothingLeft() {
            assertThat(processes()).as("processes of the demo after it exited; its output:%n%s", output()).isEmpty();
            List<Integer> all = new ArrayList<>();
            for (int p : ports) {
                all.add(p);
            }
            all.addAll(serverPorts());
            assertThat(all.stream().filter(Ports::listening).toList())
                    .as("ports of the demo still listening (tools: %s, servers: %s)", List.of(ports), serverPorts())
                    .isEmpty();
        }

        private List<Integer> serverPorts() {
            List<Integer> found = new ArrayList<>();
            for (String log : List.of("server-1.log", "server-2.log", "server-greeter.log")) {
                Path file = run.resolve("logs").resolve(log);
                if (Files.exists(file)) {
                    Matcher m = SERVING.matcher(read(file));
                    if (m.find()) {
                        found.add(Integer.parseInt(m.group(1)));
                    }
                }
            }
            return found;
        }

        String output() {
            return Files.exists(out) ? read(out) : "";
        }

        private void poll(String what, Duration timeout, PollCondition condition) {
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                try {
                    if (condition.met()) {
                        return;
                    }
                } catch (IOException e) {
                    // a file or /proc entry that is just being written or removed: look again
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the demo exited (" + process.exitValue() + ") while waiting for " + what
                            + "; output:\n" + output());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; output:\n"
                            + output());
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        /** Stops a demo a failed assertion left running; the run's checks have already spoken. */
        @Override
        public void close() {
            if (process.isAlive()) {
                Processes.stop(process, Duration.ofSeconds(40));
            }
        }

        private interface PollCondition {
            boolean met() throws IOException;
        }
    }

    /** Processes found through /proc by the MESHPLAY_RUN folder in their environment. */
    private static final class DemoProcesses {

        private DemoProcesses() {
        }

        /** Live processes whose MESHPLAY_RUN is {@code run} or a folder below it (never this JVM). */
        static List<ProcessHandle> under(Path run) {
            String prefix = "MESHPLAY_RUN=" + run;
            long self = ProcessHandle.current().pid();
            List<ProcessHandle> found = new ArrayList<>();
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path dir : procs.toList()) {
                    String name = dir.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long pid = Long.parseLong(name);
                    if (pid <= 1 || pid == self) {
                        continue;
                    }
                    if (environment(dir).stream().anyMatch(matches(prefix))) {
                        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(found::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list /proc", e);
            }
            return found;
        }

        private static Predicate<String> matches(String prefix) {
            return entry -> entry.equals(prefix) || entry.startsWith(prefix + "/");
        }

        private static List<String> environment(Path procDir) {
            try {
                byte[] bytes = Files.readAllBytes(procDir.resolve("environ"));
                return List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
            } catch (IOException | SecurityException e) {
                // gone meanwhile, or not ours to read: not a process of the demo either way
                return List.of();
            }
        }

        static String describe(ProcessHandle p) {
            String cmdline;
            try {
                cmdline = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")),
                        StandardCharsets.UTF_8).replace('\0', ' ').trim();
            } catch (IOException e) {
                cmdline = p.info().commandLine().orElse("?");
            }
            return p.pid() + " " + cmdline;
        }

        /** The process group of {@code pid} from /proc/<pid>/stat, or -1 if it is gone. */
        static long processGroup(long pid) throws IOException {
            Path stat = Path.of("/proc", String.valueOf(pid), "stat");
            if (!Files.exists(stat)) {
                return -1;
            }
            String text = Files.readString(stat);
            // "pid (comm) state ppid pgrp ...": comm may hold spaces, so count from the last ')'
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
