package io.meshplay.broker;

/**
 * The queue asked about does not exist, as opposed to a broker that failed to answer: tools tell a
 * misspelt name from an outage by it.
 */
public class QueueNotFoundException extends BrokerException {

    public QueueNotFoundException(String queue) {
        super("queue '" + queue + "' does not exist");
    }
}
