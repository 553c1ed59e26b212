package io.meshplay.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

import io.meshplay.registry.InstanceMetadata;
import io.meshplay.testing.JavaProcess;
import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Ports;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.consul.ConsulAgent;

/**
 * What every row shares: the bench's own Consul agent and Azurite (and for row 8 Zipkin) on leased loopback ports (stopped by
 * PID at the end), the repository, the output folder and the plan. Server children get a leased port
 * each and are started again on a fresh one if they cannot bind it ({@link PortRetry}); they are
 * stopped on close as well, whatever a row left running.
 */
final class BenchEnv implements AutoCloseable {

    final BenchPlan plan;
    final Path repo;
    final Path outDir;
    final Path logDir;
    final ConsulAgent consul;
    final Azurite azurite;
    /** Row 8's collector; null unless asked for. */
    private final BenchZipkin zipkin;
    private final List<ChildJvm> children = new ArrayList<>();

    private BenchEnv(BenchPlan plan, Path repo, Path outDir, ConsulAgent consul, Azurite azurite, BenchZipkin zipkin) {
        this.plan = plan;
        this.repo = repo;
        this.outDir = outDir;
        this.logDir = outDir.resolve("logs");
        this.consul = consul;
        this.azurite = azurite;
        this.zipkin = zipkin;
    }

    static BenchEnv start(BenchPlan plan, Path repo, Path outDir) {
        return start(plan, repo, outDir, false);
    }

    /**
     * Starts Consul and Azurite, and with {@code withZipkin} also Zipkin (row 8), on a thread of its own
     * meanwhile: its ~5 s start overlaps theirs, before any row measures.
     */
    static BenchEnv start(BenchPlan plan, Path repo, Path outDir, boolean withZipkin) {
        CompletableFuture<BenchZipkin> zipkin = withZipkin
                ? CompletableFuture.supplyAsync(() -> BenchZipkin.start(outDir.resolve("logs")),
                        r -> Thread.ofPlatform().daemon().name("bench-zipkin-start").start(r))
                : CompletableFuture.completedFuture(null);
        ConsulAgent consul = null;
        Azurite azurite = null;
        try {
            consul = ConsulAgent.start();
            azurite = Azurite.launch();
            return new BenchEnv(plan, repo, outDir, consul, azurite, zipkin.join());
        } catch (RuntimeException e) {
            try {
                zipkin.thenAccept(z -> {
                    if (z != null) {
                        z.close();
                    }
                }).exceptionally(x -> null).join();
            } finally {
                if (azurite != null) {
                    azurite.close();
                }
                if (consul != null) {
                    consul.close();
                }
            }
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The bench's Zipkin (row 8). */
    BenchZipkin zipkin() {
        if (zipkin == null) {
            throw new IllegalStateException("the bench started no Zipkin (row 8 was not asked for)");
        }
        return zipkin;
    }

    /** A server child listening on {@code ports}, stopped at the latest when the bench ends. */
    private synchronized ChildJvm child(String name, List<String> command, Map<String, String> env, PortLease ports,
                                        PortRetry.Output output) {
        ChildJvm c = ChildJvm.start(name, command, env, repo, logDir, ports, output);
        children.add(c);
        return c;
    }

    /**
     * Starts a server child on a leased port, waits until {@code ready} says it is, and starts it again on a
     * fresh port if it could not bind; a child that fails otherwise is stopped and the failure thrown.
     */
    private ChildJvm server(String name, int portCount, Function<PortLease, List<String>> command, Map<String, String> env,
                            Consumer<ChildJvm> ready) {
        return PortRetry.start(name, portCount, (ports, output) -> {
            ChildJvm c = child(name, command.apply(ports), env, ports, output);
            try {
                ready.accept(c);
                return c;
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        });
    }

    /**
     * A {@link ServerChild} serving Example through meshplay on gRPC {@code transport}, registered as
     * {@code service}; waits until ready. On netty it listens on two ports (gRPC first, then the observe
     * endpoints), on helidon on one.
     */
    ChildJvm meshplayServer(String name, String service, String transport) {
        return meshplayServer(name, service, transport, Map.of());
    }

    /** As {@link #meshplayServer(String, String, String)} with further config overrides (e.g. {@code tls.mode=connect}). */
    ChildJvm meshplayServer(String name, String service, String transport, Map<String, String> sets) {
        List<String> flags = new ArrayList<>();
        // for experiments: e.g. -Dserver.protocols.grpc.enable-compression=false (config reads system properties)
        String extra = System.getenv("MESHPLAY_BENCH_SERVER_OPTS");
        if (extra != null && !extra.isBlank()) {
            flags.addAll(List.of(extra.strip().split("\\s+")));
        }
        int portCount = transport.equals("helidon") ? 1 : 2;
        return server(name, portCount, ports -> {
                    List<String> args = new ArrayList<>(List.of("meshplay", transport, Integer.toString(ports.port()),
                            Integer.toString(ports.port(portCount - 1)), service, consul.httpAddress()));
                    sets.forEach((k, v) -> args.add(k + "=" + v));
                    return JavaProcess.command(flags, ServerChild.class.getName(), args);
                }, configEnv(),
                c -> c.awaitHttp200(healthUrl(c.observePort()), Duration.ofSeconds(60), 20));
    }

    /** A {@link ServerChild} serving Example through a plain grpc-java Netty server; waits until it listens. */
    ChildJvm nettyServer(String name) {
        return nettyServer(name, List.of("netty"), List.of());
    }

    /** A {@link StaticTlsServer} child (grpc-java Netty, mutual TLS from these PEM files); waits until it listens. */
    ChildJvm staticTlsServer(String name, Path cert, Path key, Path ca) {
        return nettyServer(name, List.of("netty-tls"), List.of(cert.toString(), key.toString(), ca.toString()));
    }

    private ChildJvm nettyServer(String name, List<String> kind, List<String> more) {
        return server(name, 1, ports -> {
            List<String> args = new ArrayList<>(kind);
            args.add(Integer.toString(ports.port()));
            args.addAll(more);
            return JavaProcess.command(List.of(), ServerChild.class.getName(), args);
        }, configEnv(), c -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (!Ports.listening(c.port())) {
                        if (!c.alive() || System.nanoTime() > deadline) {
                            throw new IllegalStateException("the Netty server child did not listen on " + c.port() + "; see " + c.log());
                        }
                        ChildJvm.pause(20);
                    }
                });
    }

    /**
     * The example server app as users run it: {@code deploy/local/app server} (its JVM sizing defaults,
     * config/ as shipped, default gRPC transport) with the bench's Consul and two leased ports (gRPC, observe)
     * set through {@code --set}. Returns once
     * it is ready; {@link ChildJvm#execNanos()} and {@link ChildJvm#readyNanos()} say when it exec'd java
     * and when readiness first answered (polled every 10 ms).
     *
     * @param javaOpts     appended by the launcher after its own flags (e.g. an AOT cache); may be empty
     * @param sets         further {@code key=value} overrides
     * @param readyTimeout how long the server may take to become ready
     */
    ChildJvm appServer(String name, String service, String javaOpts, Map<String, String> sets, Duration readyTimeout) {
        Map<String, String> env = new java.util.HashMap<>(configEnv());
        env.put("JAVA_OPTS", javaOpts);
        return server(name, 2, ports -> {
            List<String> command = new ArrayList<>(List.of(repo.resolve("deploy/local/app").toString(), "server"));
            Map<String, String> all = new java.util.LinkedHashMap<>();
            all.put("service.name", service);
            all.put("grpc.port", Integer.toString(ports.port(0)));
            all.put("server.port", Integer.toString(ports.port(1)));
            all.put("registry.type", "consul");
            all.put("registry.consul.address", consul.httpAddress());
            all.put("broker.azqueue.endpoint", azurite.endpoint());
            all.putAll(sets);
            all.forEach((k, v) -> {
                command.add("--set");
                command.add(k + "=" + v);
            });
            return command;
        }, env, c -> {
            long exec = c.awaitExec(Duration.ofSeconds(30));
            long ready = c.awaitHttp200(healthUrl(c.observePort()), readyTimeout, 10);
            c.started(exec, ready);
        });
    }

    /**
     * The gateway app as users run it ({@code deploy/local/app gateway}, config/ as shipped, broker memory: its
     * dashboard's queues are not what row 9 measures) on two leased ports (gRPC health, HTTP); returns once ready.
     */
    ChildJvm gatewayApp(String name, String service) {
        return server(name, 2, ports -> {
            List<String> command = new ArrayList<>(List.of(repo.resolve("deploy/local/app").toString(), "gateway"));
            Map<String, String> all = new java.util.LinkedHashMap<>();
            all.put("service.name", service);
            all.put("grpc.port", Integer.toString(ports.port(0)));
            all.put("server.port", Integer.toString(ports.port(1)));
            all.put("registry.type", "consul");
            all.put("registry.consul.address", consul.httpAddress());
            all.put("broker.type", "memory");
            all.forEach((k, v) -> {
                command.add("--set");
                command.add(k + "=" + v);
            });
            return command;
        }, configEnv(), c -> c.awaitHttp200(healthUrl(c.observePort()), Duration.ofSeconds(90), 20));
    }

    static String healthUrl(int port) {
        return "http://127.0.0.1:" + port + InstanceMetadata.DEFAULT_HEALTH_PATH;
    }

    /** The environment for apps: the shipped config/ folder and this JVM's JDK. */
    Map<String, String> configEnv() {
        return Map.of("MESHPLAY_CONFIG_DIR", repo.resolve("config").toString(),
                "JAVA_HOME", System.getProperty("java.home"));
    }

    @Override
    public void close() {
        List<ChildJvm> left;
        synchronized (this) {
            left = List.copyOf(children);
        }
        left.forEach(ChildJvm::close);
        try {
            if (zipkin != null) {
                zipkin.close();
            }
        } finally {
            try {
                azurite.close();
            } finally {
                consul.close();
            }
        }
    }
}
