package io.meshplay.broker.azqueue;

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
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.Message;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.broker.QueuedMessage;
import io.meshplay.broker.UndecodableMessageException;

/**
 * Azure Storage Queues beyond publish/subscribe: peek (Azure's own, which neither dequeues nor hides),
 * receive+delete, the approximate count, clear. Uses the broker's clients, so credentials, the pinned
 * service version and the HTTP client are the broker's, and reads messages with its {@link Envelope}.
 * Never creates a queue: administering a misspelt name must fail, not make it.
 */
final class AzureQueueAdministration implements QueueAdministration, QueueBrowsing {

    /** Azure returns at most 32 messages per peek or receive. */
    private static final int AZURE_MAX_BATCH = 32;

    private final QueueConnection connection;
    private final SafeErrors errors;
    private final Duration requestTimeout;
    private final Runnable ensureOpen;

    /** @param ensureOpen throws once the broker is closed: the capability lives as long as its broker */
    AzureQueueAdministration(QueueConnection connection, SafeErrors errors, Duration requestTimeout, Runnable ensureOpen) {
        this.connection = connection;
        this.errors = errors;
        this.requestTimeout = requestTimeout;
        this.ensureOpen = ensureOpen;
    }

    @Override
    public List<QueuedMessage> peek(String queue, int max) {
        QueueClient client = client(queue);
        List<QueuedMessage> out = new ArrayList<>();
        if (max < 1) {
            return out;
        }
        try {
            for (PeekedMessageItem item : client.peekMessages(Math.min(max, AZURE_MAX_BATCH), requestTimeout, null)) {
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
        // each round takes at least one message or ends the take, so at most max rounds
        while (taken < max) {
            List<QueueMessageItem> batch = new ArrayList<>();
            try {
                client.receiveMessages(Math.min(max - taken, AZURE_MAX_BATCH), visibility, requestTimeout, null)
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
    public long length(String queue) {
        QueueClient client = client(queue);
        try {
            return client.getProperties().getApproximateMessagesCount();
        } catch (RuntimeException e) {
            throw failure("count the messages of", queue, e);
        }
    }

    @Override
    public void purge(String queue) {
        QueueClient client = client(queue);
        try {
            client.clearMessages();
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
        ensureOpen.run();
        return connection.queue(QueueNames.validate(queue));
    }

    private BrokerException failure(String what, String queue, RuntimeException e) {
        // paged results arrive wrapped, so the whole chain is searched; bounded, since a chain ends or loops on itself
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof QueueStorageException q && queueMissing(q)) {
                return new QueueNotFoundException(queue);
            }
        }
        return new BrokerException("azqueue: could not " + what + " queue '" + queue + "': " + errors.describe(e),
                errors.sanitized(e));
    }

    /**
     * Azure says {@code QueueNotFound}; Azurite answers a peek at a missing queue with a bare 404. A 404
     * naming another code (a message gone) is not a missing queue.
     */
    private static boolean queueMissing(QueueStorageException q) {
        return QueueErrorCode.QUEUE_NOT_FOUND.equals(q.getErrorCode()) || (q.getStatusCode() == 404 && q.getErrorCode() == null);
    }
}
