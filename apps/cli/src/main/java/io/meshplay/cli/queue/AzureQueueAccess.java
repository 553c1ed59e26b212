package io.meshplay.cli.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.azure.core.util.BinaryData;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueErrorCode;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import io.meshplay.broker.Message;
import io.meshplay.broker.azqueue.AzureQueueBroker;
import io.meshplay.broker.azqueue.Envelope;
import io.meshplay.broker.azqueue.UndecodableMessageException;
import io.meshplay.cli.CliException;

/**
 * Azure Storage Queues beyond the Broker API: peek without consuming, receive+delete, clear. Uses the
 * broker's own SDK clients ({@link AzureQueueBroker#queueClient}), so credentials, the pinned service
 * version and the HTTP client are the broker's, and its {@link Envelope} to read what it stored.
 */
public final class AzureQueueAccess implements QueueAccess {

    /** Azure returns at most 32 messages per peek or receive. */
    private static final int AZURE_MAX_BATCH = 32;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final AzureQueueBroker broker;

    public AzureQueueAccess(AzureQueueBroker broker) {
        this.broker = broker;
    }

    @Override
    public boolean canPeek() {
        return true;
    }

    @Override
    public List<QueuedMessage> peek(String queue, int max) {
        List<QueuedMessage> out = new ArrayList<>();
        try {
            for (PeekedMessageItem item : client(queue).peekMessages(Math.min(max, AZURE_MAX_BATCH), REQUEST_TIMEOUT, null)) {
                out.add(message(item.getMessageId(), item.getBody(), item.getDequeueCount(), item.getInsertionTime()));
            }
        } catch (RuntimeException e) {
            throw failure("peek at", queue, e);
        }
        return out;
    }

    @Override
    public int take(String queue, int max, Duration visibility, Consumer<QueuedMessage> consumer) {
        QueueClient client = client(queue);
        int taken = 0;
        while (taken < max) {
            List<QueueMessageItem> batch = new ArrayList<>();
            try {
                client.receiveMessages(Math.min(max - taken, AZURE_MAX_BATCH), visibility, REQUEST_TIMEOUT, null)
                        .forEach(batch::add);
            } catch (RuntimeException e) {
                throw failure("receive from", queue, e);
            }
            if (batch.isEmpty()) {
                return taken;
            }
            for (QueueMessageItem item : batch) {
                consumer.accept(message(item.getMessageId(), item.getBody(), item.getDequeueCount(), item.getInsertionTime()));
                try {
                    client.deleteMessage(item.getMessageId(), item.getPopReceipt());
                } catch (RuntimeException e) {
                    throw failure("delete message " + item.getMessageId() + " from", queue, e);
                }
                taken++;
            }
        }
        return taken;
    }

    @Override
    public long count(String queue) {
        try {
            return client(queue).getProperties().getApproximateMessagesCount();
        } catch (RuntimeException e) {
            throw failure("count the messages of", queue, e);
        }
    }

    @Override
    public void clear(String queue) {
        try {
            client(queue).clearMessages();
        } catch (RuntimeException e) {
            throw failure("clear", queue, e);
        }
    }

    /** The stored text as the broker reads it; text it cannot read is shown raw, with the reason. */
    private static QueuedMessage message(String id, BinaryData body, long dequeueCount, OffsetDateTime inserted) {
        String text = body == null ? "" : body.toString();
        Message message;
        String problem = null;
        try {
            message = Envelope.decode(text);
        } catch (UndecodableMessageException e) {
            message = Message.of(text.getBytes(StandardCharsets.UTF_8));
            problem = e.getMessage();
        }
        return new QueuedMessage(id, message, dequeueCount, inserted == null ? null : inserted.toInstant(), problem);
    }

    private QueueClient client(String queue) {
        return broker.queueClient(queue);
    }

    private CliException failure(String what, String queue, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // paged results arrive wrapped; Azurite answers a peek at a missing queue with a bare 404
            if (t instanceof QueueStorageException q && (QueueErrorCode.QUEUE_NOT_FOUND.equals(q.getErrorCode())
                    || q.getStatusCode() == 404)) {
                return CliException.notFound("queue '" + queue + "' does not exist");
            }
        }
        return CliException.failed("azqueue: could not " + what + " queue '" + queue + "': " + broker.describe(e), null);
    }
}
