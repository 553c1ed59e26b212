package io.meshplay.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the lab watches from outside its hosts (the observer on the bridge address): each server's count of
 * {@code Example/Call} from its metrics every 100 ms, with the time it last went up, and whether Consul
 * lists the server as passing.
 */
final class Probe implements AutoCloseable {

    private final Lab lab;
    private final Map<String, Long> count = new ConcurrentHashMap<>();
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    Probe(Lab lab) {
        this.lab = lab;
        poller = Thread.ofPlatform().daemon().name("chaos-probe").start(this::poll);
    }

    private void poll() {
        while (running) {
            for (String h : Lab.SERVER_HOSTS) {
                long n = calls(h);
                Long before = count.put(h, n);
                // a restarted JVM counts from 0 again: any new positive value is a call it received
                if (n > 0 && (before == null || n != before)) {
                    changedAt.put(h, System.currentTimeMillis());
                }
            }
            try {
                Thread.sleep(100); // sampling period of the receiving figures
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long calls(String host) {
        String body = Lab.get("http://" + lab.address(host) + ":8080/observe/metrics");
        if (body == null) {
            return -1;
        }
        long sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("grpc_server_call_started_total") && line.contains("Example/Call")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** When {@code host}'s server last received a call (epoch ms), 0 if never. */
    long lastCall(String host) {
        return changedAt.getOrDefault(host, 0L);
    }

    /** Whether Consul (through the load host's agent) has {@code host}'s server among the passing instances. */
    boolean passing(String host) {
        String body = Lab.get(lab.consulHttp(Lab.LOAD_HOST) + "/v1/health/service/example?passing");
        return body != null && body.contains("\"" + lab.address(host) + "\"");
    }

    boolean allPassing() {
        return Lab.SERVER_HOSTS.stream().allMatch(this::passing);
    }

    /** The load's cumulative counters: ok, failed, streamed, stream breaks, published, publish failures. */
    long[] stats() {
        try {
            String[] f = Files.readString(lab.dir.resolve("stats")).strip().split(" ");
            long[] v = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                v[i] = Long.parseLong(f[i]);
            }
            return v;
        } catch (Exception e) {
            return new long[6];
        }
    }

    Path dir() {
        return lab.dir;
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
