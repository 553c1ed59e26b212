package io.meshplay.testing.contract;

/**
 * Takes a plug-in's backing service away and gives it back, as an agent or emulator stopping and
 * restarting would, for the contracts' outage cases.
 */
public interface Outage {

    /** The service stops answering; returns once it has. */
    void begin();

    /** The service answers again, possibly having lost what it held (a dev agent keeps no state); returns once it does. */
    void end();
}
