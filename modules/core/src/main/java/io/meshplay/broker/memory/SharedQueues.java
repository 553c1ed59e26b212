package io.meshplay.broker.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;

/** The topics every {@link MemoryBroker} handle on one name publishes to and takes from. */
final class SharedQueues {

    private final String name;
    private final Map<String, DelayQueue<MemoryBroker.Pending>> topics = new ConcurrentHashMap<>();

    SharedQueues(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    DelayQueue<MemoryBroker.Pending> queue(String topic) {
        return topics.computeIfAbsent(topic, t -> new DelayQueue<>());
    }

    int depth(String topic) {
        DelayQueue<MemoryBroker.Pending> queue = topics.get(topic);
        return queue == null ? 0 : queue.size();
    }
}
