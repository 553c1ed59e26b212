package io.meshplay.cli;

import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueNotFoundException;

/**
 * The queues a command names must exist: the CLI never creates one (a misspelt name would become a new,
 * empty queue), and a broker would otherwise answer a missing queue differently per command (a failed
 * send, a subscriber that waits forever, an empty peek). Asked once, before the command's own work.
 */
final class Queues {

    private Queues() {
    }

    /**
     * Checks the name (usage error, exit 2: the CLI's rule, then the broker's own, both before any request)
     * and that the queue exists (not found, exit 3). Brokers without queue administration are taken at
     * their word: their publish and subscribe say what is wrong.
     */
    static void requireExisting(Session session, String queue) {
        Names.queue(queue);
        QueueAdministration queues = session.broker().queueAdministration().orElse(null);
        if (queues == null) {
            return;
        }
        if (!exists(queues, queue)) {
            throw CliException.notFound("queue '" + queue + "' does not exist in broker '" + session.brokerType()
                    + "' (meshplay never creates queues: check the name, or start the app that creates it)");
        }
    }

    /**
     * After a failed operation: true only when the broker says for certain that the queue is missing; false
     * when it exists, cannot tell (no administration) or fails again (an outage: the first failure tells).
     */
    static boolean knownMissing(Session session, String queue) {
        try {
            return session.broker().queueAdministration().map(queues -> !exists(queues, queue)).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** False only when the broker says there is no such queue; its other failures propagate. */
    static boolean exists(QueueAdministration queues, String queue) {
        try {
            queues.length(queue);
            return true;
        } catch (QueueNotFoundException e) {
            return false;
        }
    }
}
