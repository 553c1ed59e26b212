package io.meshplay.broker.azqueue;

import com.azure.storage.queue.models.QueueMessageItem;

/**
 * A received message while this consumer holds it. The pop receipt changes with every visibility
 * update, so renewals and the final delete/update take the monitor and use the latest one.
 */
final class Delivery {

    private final String messageId;
    private final String text;
    private final long dequeueCount;
    private String popReceipt;
    private boolean settled;
    private boolean leaseLost;

    Delivery(QueueMessageItem item) {
        this.messageId = item.getMessageId();
        this.text = item.getMessageText();
        this.dequeueCount = item.getDequeueCount();
        this.popReceipt = item.getPopReceipt();
    }

    String messageId() {
        return messageId;
    }

    String text() {
        return text;
    }

    /** 1 on the first delivery; Azure counts every receive, including ones whose consumer died. */
    long dequeueCount() {
        return dequeueCount;
    }

    synchronized String popReceipt() {
        return popReceipt;
    }

    synchronized void popReceipt(String receipt) {
        this.popReceipt = receipt;
    }

    /** Deleted, poisoned or handed back: no more renewals. Call with the monitor held. */
    synchronized void settle() {
        settled = true;
    }

    synchronized boolean settled() {
        return settled;
    }

    /** Another consumer may have it now: renewing or deleting with our receipt would fail. */
    synchronized void leaseLost() {
        leaseLost = true;
    }

    synchronized boolean isLeaseLost() {
        return leaseLost;
    }
}
