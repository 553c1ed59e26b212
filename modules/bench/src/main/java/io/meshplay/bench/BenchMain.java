package io.meshplay.bench;

/** Placeholder until the benchmarks land (issue 6). */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.err.println("meshplay bench: not built yet");
        System.exit(2);
    }
}
