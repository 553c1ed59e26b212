package io.meshplay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.grpc.ManagedChannel;
import io.meshplay.testing.Ports;

/**
 * The start-up cache for the server app, produced by the bench (never committed): on JDK 25+ an AOT
 * cache (JEP 483/514: {@code -XX:AOTCacheOutput} on a training run, {@code -XX:AOTCache} after), on
 * JDK 21–24 an AppCDS archive ({@code -XX:ArchiveClassesAtExit} / {@code -XX:SharedArchiveFile}).
 * The training run is the real server with the bench's Consul and Azurite, serving some calls; it is
 * reused while it is newer than the app's jar and libraries.
 */
record AotCache(Path file, String kind, String useFlags, boolean reused, double trainingSeconds) {

    static final String SERVICE = "bench-footprint";

    static AotCache prepare(BenchEnv env) {
        boolean aot = Runtime.version().feature() >= 25;
        Path file = env.repo.resolve("target/bench/aot").resolve(aot ? "server.aot" : "server.jsa");
        // AOTMode=on: fail loudly if the cache does not fit, rather than silently measure without it
        String use = aot ? "-XX:AOTCache=" + file + " -XX:AOTMode=on" : "-XX:SharedArchiveFile=" + file + " -Xshare:on";
        String kind = aot ? "JDK " + Runtime.version().feature() + " AOT cache" : "AppCDS archive";
        if (fresh(env.repo, file)) {
            return new AotCache(file, kind, use, true, 0);
        }
        String train = aot ? "-XX:AOTCacheOutput=" + file : "-XX:ArchiveClassesAtExit=" + file;
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + file, e);
        }
        ServerPorts ports = ServerPorts.free();
        try (ChildJvm server = env.appServer("row6-aot-training", SERVICE, ports, train, Map.of())) {
            server.awaitHttp200(BenchEnv.healthUrl(ports.observe()), Duration.ofSeconds(90), 20);
            ManagedChannel channel = Clients.fixed(ports.grpc());
            try {
                ClosedLoop.run("aot training", 4, Duration.ofSeconds(2), Clients.unary(channel));
            } finally {
                Clients.close(channel);
            }
            // the cache is written while the JVM exits
            server.terminate(Duration.ofSeconds(180));
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the training run wrote no " + file + "; see " + env.logDir.resolve("row6-aot-training.log"));
        }
        return new AotCache(file, kind, use, false, (System.nanoTime() - t0) / 1e9);
    }

    /** Newer than the app jar and every library beside it. */
    private static boolean fresh(Path repo, Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Path jar = repo.resolve("apps/server/target/meshplay-server.jar");
        Path lib = repo.resolve("apps/server/target/lib");
        try (Stream<Path> libs = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
            FileTime cache = Files.getLastModifiedTime(file);
            List<Path> inputs = Stream.concat(Stream.of(jar), libs).toList();
            for (Path p : inputs) {
                if (!Files.exists(p) || Files.getLastModifiedTime(p).compareTo(cache) > 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
