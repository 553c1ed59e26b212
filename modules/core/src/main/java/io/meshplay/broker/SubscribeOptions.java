package io.meshplay.broker;

/**
 * Per-subscription options. Broker-wide tuning (visibility timeouts, polling, poison rules) is the
 * plug-in's config; these are what a subscriber decides.
 *
 * @param concurrency how many messages are handled at once (competing consumers within this process)
 * @param name        the handler's name, recorded with poisoned messages and in metrics
 */
public record SubscribeOptions(int concurrency, String name) {

    public static final int DEFAULT_CONCURRENCY = 16;

    public SubscribeOptions {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        name = name == null || name.isBlank() ? "handler" : name;
    }

    public static SubscribeOptions defaults() {
        return new SubscribeOptions(DEFAULT_CONCURRENCY, "handler");
    }

    public SubscribeOptions withConcurrency(int concurrency) {
        return new SubscribeOptions(concurrency, name);
    }

    public SubscribeOptions withName(String name) {
        return new SubscribeOptions(concurrency, name);
    }
}
