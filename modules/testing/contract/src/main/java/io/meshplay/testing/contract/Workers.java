package io.meshplay.testing.contract;

import java.util.concurrent.atomic.AtomicInteger;

/** How many handlers of one subscription run at once, and the most there ever were. */
final class Workers {

    /** A handler's work, which may throw what a handler may. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();

    void run(Work work) throws Exception {
        most.accumulateAndGet(now.incrementAndGet(), Math::max);
        try {
            work.run();
        } finally {
            now.decrementAndGet();
        }
    }

    int most() {
        return most.get();
    }
}
