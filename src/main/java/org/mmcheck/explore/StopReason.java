package org.mmcheck.explore;

/** Why a search ended: it ran out of states to expand, or one of the {@link Limits} was reached. */
public enum StopReason {
    /** Every reachable state was expanded: the results cover the whole state space. */
    COMPLETE,
    /** Storing one more distinct state would exceed {@link Limits#maxStates()}. */
    MAX_STATES,
    /** {@link Limits#timeout()} elapsed. */
    TIMEOUT,
    /** The heap passed {@link Limits#memoryFraction()}, or the JVM ran out of memory. */
    MEMORY,
    /** {@link Interrupt#request()} was called (Ctrl-C or SIGTERM): the results so far are returned. */
    INTERRUPTED
}
