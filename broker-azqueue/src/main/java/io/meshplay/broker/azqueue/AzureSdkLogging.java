package io.meshplay.broker.azqueue;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Keeps the Azure SDK out of the log unless the user asked for it. The SDK logs through SLF4J, which this
 * module routes to java.util.logging ({@code slf4j-jdk14}), and it logs every failed request at SEVERE with a
 * stack trace: a queue service down for 12 s gave 35 such lines from a polling subscriber, and a wrong key
 * ~1 KB per poll. The broker reports every failure itself, once per outage and without secrets (the SDK's
 * text quotes response bodies, which on real Azure can carry request signatures), so by default the SDK's
 * loggers are off.
 *
 * <p>A level configured for {@code com.azure} (a {@code logging.properties} line such as
 * {@code com.azure.level=WARNING}) is left alone: that is how to see the SDK's own lines when debugging.
 */
final class AzureSdkLogging {

    static final String SDK_LOGGER = "com.azure";
    /** JUL holds loggers weakly: without this reference the level would go with a collected logger. */
    private static final Logger AZURE = Logger.getLogger(SDK_LOGGER);

    private AzureSdkLogging() {
    }

    /** Turns the SDK's loggers off unless their level is configured; idempotent. */
    static void quiet() {
        if (LogManager.getLogManager().getProperty(SDK_LOGGER + ".level") == null) {
            AZURE.setLevel(Level.OFF);
        }
    }
}
