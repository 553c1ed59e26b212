package io.meshplay.broker.azqueue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.meshplay.broker.SubscribeOptions;

/**
 * A consumer in its own JVM for the kill -9 test: subscribes with a 2 s visibility timeout, writes
 * the message id of what it is handling to a file, then hangs in the handler until it is killed.
 * Arguments: endpoint, queue, marker file.
 */
public final class KilledConsumerMain {

    private KilledConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String queue = args[1];
        Path marker = Path.of(args[2]);
        var settings = new java.util.HashMap<String, String>();
        settings.put("broker.azqueue.account-name", io.meshplay.testing.azurite.Azurite.ACCOUNT);
        settings.put("broker.azqueue.account-key", io.meshplay.testing.azurite.Azurite.KEY);
        settings.put("broker.azqueue.endpoint", endpoint);
        settings.put("broker.azqueue.visibility-timeout", "2s");
        settings.put("broker.azqueue.max-polling-interval", "200ms");
        AzureQueueBroker broker = new AzureQueueBroker(AzureQueueOptions.create(TestBrokers.config(settings).get("broker.azqueue")));
        CountDownLatch never = new CountDownLatch(1);
        broker.subscribe(queue, event -> {
            Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
            Files.writeString(tmp, event.message().header(io.meshplay.broker.Message.MESSAGE_ID) + " " + event.attempt());
            Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            never.await();
        }, SubscribeOptions.defaults().withConcurrency(1).withName("doomed"));
        never.await();
    }
}
