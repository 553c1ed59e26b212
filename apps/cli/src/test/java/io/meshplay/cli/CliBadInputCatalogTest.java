package io.meshplay.cli;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.testing.JavaProcess;
import io.meshplay.testing.Ports;
import io.meshplay.testing.Processes;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import io.meshplay.testing.consul.ConsulAcl;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The CLI's bad-input catalogue (ids X-n, docs/bad-input/cli.md): each case runs the command as a user
 * would, against a real Consul (ACLs on, default deny) and Azurite, and checks the exit code, the line
 * the user reads, and that neither a stack trace nor an HTML page reaches the terminal. Name cases run
 * against addresses where nothing listens: an answer other than the usage error proves the name was
 * checked before any request.
 */
@ExtendWith({ConsulExtension.class, AzuriteExtension.class})
@ConsulAcl
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliBadInputCatalogTest {

    private static final AtomicInteger QUEUES = new AtomicInteger();

    private MeshFixture mesh;
    private Broker broker;
    /** Token, registry and broker: the happy configuration. */
    private Cli cli;
    /** The same Consul without a token: it hides everything. */
    private Cli anonymous;
    /** Consul and the queue service at ports where nothing listens. */
    private Cli nowhere;
    private String consulAddress;

    @BeforeAll
    void start(ConsulAgent consul, Azurite azurite) {
        consulAddress = consul.httpAddress();
        mesh = new MeshFixture(consul, Map.of("registry.consul.token", consul.managementToken()));
        mesh.startServer("example", "1.0.0");
        Map<String, String> brokerSettings = new HashMap<>();
        brokerSettings.put("broker.type", "azqueue");
        brokerSettings.put("broker.azqueue.account-name", azurite.account());
        brokerSettings.put("broker.azqueue.account-key", azurite.key());
        brokerSettings.put("broker.azqueue.endpoint", azurite.endpoint());
        brokerSettings.put("broker.azqueue.request-timeout", "3s");
        brokerSettings.put("broker.azqueue.shutdown-timeout", "2s");
        // as config/cli.yaml: the CLI never creates queues
        brokerSettings.put("broker.azqueue.create-queues", "false");
        Map<String, String> settings = new HashMap<>(mesh.registrySettings());
        settings.putAll(brokerSettings);
        cli = new Cli(settings);
        Map<String, String> withoutToken = new HashMap<>(settings);
        withoutToken.remove("registry.consul.token");
        anonymous = new Cli(withoutToken);
        Map<String, String> dead = new HashMap<>(settings);
        dead.put("registry.consul.address", "http://127.0.0.1:" + Ports.free());
        dead.put("broker.azqueue.endpoint", "http://127.0.0.1:" + Ports.free() + "/" + azurite.account());
        nowhere = new Cli(dead);
        // the test's own broker creates the queues the cases need
        Map<String, String> creating = new HashMap<>(brokerSettings);
        creating.put("broker.azqueue.create-queues", "true");
        broker = Brokers.create(MeshplayConfig.of(creating).get("broker"));
        await().atMost(Duration.ofSeconds(15)).until(() -> cli.run("describe", "example", "-o", "json").exitCode() == 0
                && cli.run("call", "example", "Example/Call", "{}").exitCode() == 0);
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    private static String queue(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + QUEUES.incrementAndGet();
    }

    /** A queue that exists (with one message, which is how Azure queues come to be here). */
    private String existingQueue(String prefix) {
        String q = queue(prefix);
        broker.publish(q, Message.of(new byte[] {1}));
        return q;
    }

    /** Exit code and the error line; never a stack trace or an HTML page on either stream. */
    private static Cli.Result expect(Cli.Result r, int exitCode, String... errorContains) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        String all = r.out() + r.err();
        assertThat(all).as(r.toString()).doesNotContain("\tat ").doesNotContainIgnoringCase("<a href")
                .doesNotContainIgnoringCase("<html");
        if (errorContains.length > 0) {
            assertThat(r.errorLine()).as(r.toString()).startsWith("meshplay: ").contains(errorContains);
        }
        return r;
    }

    @Test
    @DisplayName("X-1 describe '' (empty service name): usage, before any request")
    void emptyServiceName() {
        expect(nowhere.run("describe", ""), ExitCodes.USAGE, "service name '' is not valid: it is empty",
                "1-255 characters without whitespace, control characters, '/', '?', '#' or '..'");
    }

    @Test
    @DisplayName("X-2 describe '   ' (whitespace only): usage")
    void blankServiceName() {
        expect(nowhere.run("describe", "   "), ExitCodes.USAGE, "service name '   ' is not valid: it is only whitespace");
    }

    @Test
    @DisplayName("X-3 describe ../../v1/agent/self (path walk): usage, no Consul HTML")
    void pathWalkingServiceName() {
        expect(nowhere.run("describe", "../../v1/agent/self"), ExitCodes.USAGE,
                "service name '../../v1/agent/self' is not valid: '/' at position 2");
        expect(cli.run("describe", "..example"), ExitCodes.USAGE, "service name '..example' is not valid: it contains '..'");
    }

    @Test
    @DisplayName("X-4 describe 'a?b', health 'a#b' (query and fragment characters): usage")
    void queryAndFragmentCharacters() {
        expect(nowhere.run("describe", "example?passing"), ExitCodes.USAGE, "'?' at position 7");
        expect(nowhere.run("health", "example#1"), ExitCodes.USAGE, "'#' at position 7");
    }

    @Test
    @DisplayName("X-5 call with a control character in the service name: usage, shown escaped")
    void controlCharacterInServiceName() {
        expect(nowhere.run("call", "exa\u001bmple", "Example/Call", "{}"), ExitCodes.USAGE,
                "service name 'exa\\u001bmple' is not valid: control character \\u001b at position 3");
    }

    @Test
    @DisplayName("X-6 describe a 256-character service name: usage")
    void overlongServiceName() {
        expect(nowhere.run("describe", "s".repeat(256)), ExitCodes.USAGE, "is not valid: it has 256 characters");
    }

    @Test
    @DisplayName("X-7 services on an ACL Consul without a token: empty list, exit 0, says the token may hide them")
    void aclHidesServices() {
        Cli.Result r = expect(anonymous.run("services", "-o", "json"), ExitCodes.OK);
        assertThat(r.array()).isEmpty();
        assertThat(r.errorLine()).isEqualTo("meshplay: no services shown; Consul at " + consulAddress + " has ACLs enabled and "
                + "no ACL token is configured: it hides every service the anonymous token may not read (set "
                + "registry.consul.token or CONSUL_HTTP_TOKEN)");
    }

    @Test
    @DisplayName("X-8 describe a registered service on an ACL Consul without a token: not found, with the ACL note")
    void aclHidesOneService() {
        expect(anonymous.run("describe", "example"), ExitCodes.NOT_FOUND, "no service 'example' in Consul at " + consulAddress,
                "known services: none", "has ACLs enabled and no ACL token is configured");
    }

    @Test
    @DisplayName("X-9 describe a service that does not exist (ACLs on, token set): not found naming the known ones")
    void unknownService() {
        expect(cli.run("describe", "exmaple"), ExitCodes.NOT_FOUND, "no service 'exmaple'", "known services: example",
                "may not read");
    }

    @Test
    @DisplayName("X-10 services with Consul unreachable: failed, one line naming the key")
    void consulUnreachable() {
        Cli.Result r = expect(nowhere.run("services"), ExitCodes.FAILED, "cannot reach Consul at",
                "(registry.consul.address) to list services: connection refused (is the agent running there?)");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    @DisplayName("X-11 publish to 'Bad_Queue' (Azure rules): usage, before any request")
    void queueNameAgainstAzureRules() {
        expect(nowhere.run("publish", "Bad_Queue", "{}", "--type", "Message"), ExitCodes.USAGE,
                "invalid queue name 'Bad_Queue': upper-case letter 'B' at position 0", "3-63 characters");
        expect(nowhere.run("subscribe", "ab", "--timeout", "1s"), ExitCodes.USAGE, "invalid queue name 'ab': it has 2 characters");
        expect(nowhere.run("subscribe", "a--b", "--peek", "--timeout", "1s"), ExitCodes.USAGE, "two dashes in a row");
    }

    @Test
    @DisplayName("X-12 publish to 'a/b', poison '' (generic name rules): usage, before any request")
    void queueNameAgainstGenericRules() {
        expect(nowhere.run("publish", "a/b", "{}", "--type", "Message"), ExitCodes.USAGE,
                "queue name 'a/b' is not valid: '/' at position 1");
        expect(nowhere.run("poison", "", "list"), ExitCodes.USAGE, "queue name '' is not valid: it is empty");
    }

    @Test
    @DisplayName("X-13 publish to a queue that does not exist: not found (3), as subscribe and poison")
    void publishToMissingQueue() {
        expect(cli.run("publish", queue("nope"), "{\"say\":\"x\"}", "--type", "Message"), ExitCodes.NOT_FOUND, "does not exist");
    }

    @Test
    @DisplayName("X-14 subscribe (consuming) to a queue that does not exist: not found at once, no endless wait")
    void subscribeToMissingQueue() {
        String q = queue("nope");
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.run("subscribe", q, "--timeout", "0"));
        expect(r, ExitCodes.NOT_FOUND, "queue '" + q + "' does not exist in broker 'azqueue'");
        expect(cli.run("subscribe", q, "--peek", "--timeout", "1s"), ExitCodes.NOT_FOUND, "does not exist");
    }

    @Test
    @DisplayName("X-15 poison <missing queue> list|replay|purge: not found (3) for all three")
    void poisonOfMissingQueue() {
        String q = queue("nope");
        expect(cli.run("poison", q, "list"), ExitCodes.NOT_FOUND, "queue '" + q + "' does not exist");
        expect(cli.run("poison", q, "replay"), ExitCodes.NOT_FOUND, "queue '" + q + "' does not exist");
        expect(cli.run("poison", q, "purge", "--yes"), ExitCodes.NOT_FOUND, "queue '" + q + "' does not exist");
    }

    @Test
    @DisplayName("X-16 poison <queue never poisoned> list|replay|purge: exit 0, empty, 'nothing was poisoned yet'")
    void poisonOfCleanQueue() {
        String q = existingQueue("clean");
        String note = "nothing was poisoned yet: '" + q + "-poison' does not exist";
        assertThat(expect(cli.run("poison", q, "list", "-o", "json"), ExitCodes.OK, note).array()).isEmpty();
        assertThat(expect(cli.run("poison", q, "replay", "-o", "json"), ExitCodes.OK, note).array()).isEmpty();
        assertThat(expect(cli.run("poison", q, "purge", "--yes", "-o", "json"), ExitCodes.OK, note).object()
                .get("purged").getAsLong()).isZero();
    }

    @Test
    @DisplayName("X-17 --timeout 0 means none (call, subscribe, health), as --help says")
    void timeoutZeroMeansNone() {
        Cli.Result call = expect(cli.run("call", "example", "Example/Call", "{\"name\":\"zero\"}", "--timeout", "0", "-o", "json"),
                ExitCodes.OK);
        assertThat(call.lines().get(0).get("msg").getAsString()).isEqualTo("Hello zero");
        expect(cli.run("call", "example", "Example/Call", "{}", "--timeout", "0s"), ExitCodes.OK);
        expect(cli.run("health", "example", "--timeout", "0"), ExitCodes.OK);
        String q = existingQueue("zero");
        expect(cli.run("subscribe", q, "--peek", "--count", "1", "--timeout", "0"), ExitCodes.OK);
        assertThat(cli.run("call", "--help").out()).contains("0 for none");
    }

    @Test
    @DisplayName("X-18 --timeout=-1s, --timeout soon: usage naming the forms")
    void badTimeouts() {
        expect(cli.run("call", "example", "Example/Call", "--timeout=-1s"), ExitCodes.USAGE, "'-1s' is not a duration",
                "or 0 (none)");
        expect(cli.run("subscribe", "sample-queue", "--timeout", "soon"), ExitCodes.USAGE, "'soon' is not a duration");
    }

    @Test
    @DisplayName("X-19 call with a 5 MB request and --timeout 0: the server's status ends it (exit 1), no endless wait")
    void oversizedRequestWithoutTimeout() {
        String big = "{\"name\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> cli.run("call", "example", "Example/Call", big, "--timeout", "0"));
        expect(r, ExitCodes.FAILED, "call Example/Call on 'example' failed: RESOURCE_EXHAUSTED");
    }

    @Test
    @DisplayName("X-20 publish while the queue service is down: failed (1), the broker's own sentence")
    void publishDuringOutage() {
        // the CLI adds what it did and prints the broker's message as is (which names the endpoint),
        // not a wrapper's class name
        Cli.Result r = expect(nowhere.run("publish", "sample-queue", "{\"say\":\"x\"}", "--type", "Message"), ExitCodes.FAILED,
                "meshplay: publish to 'sample-queue' failed: azqueue: ", "sample-queue", "is unreachable");
        assertThat(r.errorLine()).doesNotContain("UncheckedIOException").doesNotContain("ClosedChannelException");
    }

    @Test
    @DisplayName("X-23 poison replay reaching a truncated poison copy: failed (1), the copy stays, the reason is named")
    void replayStopsAtTruncatedCopy() {
        String q = existingQueue("trunc");
        broker.publish(q + "-poison", new Message(Map.of(Poison.TRUNCATED, "body cut to fit the queue's 64 KiB limit",
                Poison.REASON, "malformed"), new byte[] {1, 2, 3}));
        Cli.Result r = expect(cli.run("poison", q, "replay", "-o", "json"), ExitCodes.FAILED,
                "is a truncated copy (body cut to fit the queue's 64 KiB limit), not the original, so replay stops there");
        assertThat(r.array()).isEmpty();
        assertThat(broker.queueAdministration().orElseThrow().length(q + "-poison")).isEqualTo(1);
    }

    @Test
    @DisplayName("X-21 every command's --help ends with the same exit codes")
    void exitCodesInEveryHelp() {
        for (String command : new String[] {"services", "describe", "call", "health", "publish", "subscribe", "poison"}) {
            Cli.Result r = cli.run(command, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).as(command).contains("Exit codes:", "  0     ok",
                    "  1     the call, check or broker operation failed", "  2     usage error", "  3     not found",
                    "  130   interrupted (Ctrl-C)");
        }
    }

    @Test
    @DisplayName("X-22 Ctrl-C during a call with --timeout 0: exit 130 at once, no stack trace")
    void interruptEndsACallWithoutDeadline(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("cli.log");
        List<String> command = JavaProcess.small(List.of(), MeshplayCli.class.getName(), List.of("call", "example",
                "Example/PingPong", "--timeout", "0", "-o", "json", "--set", "registry.type=consul",
                "--set", "registry.consul.address=" + consulAddress, "--set", "broker.type=memory"));
        // a job started in the background (CI, nohup) inherits SIGINT ignored, and a JVM leaves an ignored
        // SIGINT ignored: reset it, as a terminal's foreground process has it (env execs, so the PID stays)
        List<String> withDefaultInt = new java.util.ArrayList<>(List.of("env", "--default-signal=INT"));
        withDefaultInt.addAll(command);
        // the token through the environment, as users give it: never on a command line
        Process cli = Processes.start(withDefaultInt, Processes.repoRoot(), log, Map.of("CONSUL_HTTP_TOKEN", mesh.token()));
        try {
            try (Writer stdin = new OutputStreamWriter(cli.getOutputStream(), StandardCharsets.UTF_8)) {
                stdin.write("{\"stroke\":1}\n");
                stdin.flush();
                // one answer back: the bidi call is open and waits for the next line, with no deadline
                Processes.awaitLogMatch(cli, log, Pattern.compile("(\"stroke\")"), Duration.ofSeconds(30));
                Process interrupt = new ProcessBuilder("kill", "-INT", String.valueOf(cli.pid())).start();
                assertThat(interrupt.waitFor(5, TimeUnit.SECONDS)).isTrue();
                assertThat(cli.waitFor(10, TimeUnit.SECONDS)).as("Ctrl-C ends the call").isTrue();
            }
            assertThat(cli.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(Files.readString(log)).doesNotContain("\tat ");
        } finally {
            Processes.stop(cli, Duration.ofSeconds(2));
        }
    }
}
